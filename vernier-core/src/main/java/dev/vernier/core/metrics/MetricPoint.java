package dev.vernier.core.metrics;

import java.time.Instant;
import java.util.Objects;

/** One value of one metric, at the time its log line was read. Values are always finite. */
public record MetricPoint(String name, double value, Instant timestamp) {
    public MetricPoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("metric value must be finite: " + value);
    }
}
