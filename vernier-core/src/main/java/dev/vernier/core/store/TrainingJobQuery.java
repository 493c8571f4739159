package dev.vernier.core.store;

import dev.vernier.core.tuning.TrainingJobStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Filters, order and page of ListTrainingJobs and ListTrainingJobsForHyperParameterTuningJob.
 * Sorting by objective puts jobs without an objective last in either order.
 */
public record TrainingJobQuery(
        Optional<String> tuningJobName,
        Optional<String> nameContains,
        Optional<Instant> createdAfter,
        Optional<Instant> createdBefore,
        Optional<Instant> modifiedAfter,
        Optional<Instant> modifiedBefore,
        Optional<TrainingJobStatus> status,
        SortBy sortBy,
        boolean descending,
        int maxResults,
        Optional<String> nextToken) {

    /** OBJECTIVE lists only the jobs that have an objective value, as SageMaker documents. */
    public enum SortBy { NAME, STATUS, CREATION_TIME, OBJECTIVE }
}
