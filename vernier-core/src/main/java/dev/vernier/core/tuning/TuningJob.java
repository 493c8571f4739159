package dev.vernier.core.tuning;

import dev.vernier.core.tuning.TuningJobStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored tuning job, as an immutable snapshot. {@code spec} is the canonical Create request
 * (JSON, without Tags); everything that changes over the job's life has its own field.
 */
public record TuningJob(
        String name,
        String arn,
        TuningJobStatus status,
        String strategy,
        Instant creationTime,
        Instant lastModifiedTime,
        Instant endTime,
        String failureReason,
        String spec) {

    public TuningJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(lastModifiedTime, "lastModifiedTime");
        Objects.requireNonNull(spec, "spec");
    }
}
