package dev.vernier.protocol.http;

import java.util.Optional;

/** What {@code GET /ping} asks beyond the front door's own state: empty when healthy, else what is wrong. */
@FunctionalInterface
public interface HealthCheck {
    Optional<String> problem();

    HealthCheck NONE = Optional::empty;
}
