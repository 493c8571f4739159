package dev.vernier.core.store;

import dev.vernier.core.tuning.TuningJobStatus;
import java.time.Instant;
import java.util.Optional;

/** Filters, order and page of ListHyperParameterTuningJobs. Time bounds are exclusive. */
public record TuningJobQuery(
        Optional<String> nameContains,
        Optional<Instant> createdAfter,
        Optional<Instant> createdBefore,
        Optional<Instant> modifiedAfter,
        Optional<Instant> modifiedBefore,
        Optional<TuningJobStatus> status,
        SortBy sortBy,
        boolean descending,
        int maxResults,
        Optional<String> nextToken) {

    public enum SortBy { NAME, STATUS, CREATION_TIME }
}
