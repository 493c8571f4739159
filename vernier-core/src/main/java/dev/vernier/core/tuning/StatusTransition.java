package dev.vernier.core.tuning;

import java.time.Instant;
import java.util.Objects;

/** One entry of SecondaryStatusTransitions; {@code end} is null while the status lasts. */
public record StatusTransition(String status, Instant start, Instant end, String message) {
    public StatusTransition {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(start, "start");
    }
}
