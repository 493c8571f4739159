package dev.vernier.core.training;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a run ended, in SageMaker's terms.
 *
 * @param failureReason     for Failed: the program's output/failure (first 1024 characters) or its exit code and last log lines
 * @param exitCode          the program's exit status when it recorded one (128+N when killed by signal N), else null
 * @param modelArtifactUri  {@code <S3OutputPath>/<job>/output/model.tar.gz} when stored (Completed or Stopped), else null
 */
public record RunResult(Status status, SecondaryStatus secondaryStatus, String failureReason, Integer exitCode,
                        String modelArtifactUri, Instant startTime, Instant endTime) {

    /** TrainingJobStatus of an ended job. */
    public enum Status {
        COMPLETED("Completed"), FAILED("Failed"), STOPPED("Stopped");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** SecondaryStatus of an ended job. */
    public enum SecondaryStatus {
        COMPLETED("Completed"), FAILED("Failed"), STOPPED("Stopped"), MAX_RUNTIME_EXCEEDED("MaxRuntimeExceeded");

        private final String wireName;

        SecondaryStatus(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public RunResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(secondaryStatus, "secondaryStatus");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        if ((status == Status.FAILED) != (failureReason != null))
            throw new IllegalArgumentException("a failureReason comes with Failed and only then");
    }

    /** TrainingTimeInSeconds (and BillableTimeInSeconds): whole seconds from launch to end, at least 1. */
    public long trainingTimeInSeconds() {
        return Math.max(1, Duration.between(startTime, endTime).toSeconds());
    }
}
