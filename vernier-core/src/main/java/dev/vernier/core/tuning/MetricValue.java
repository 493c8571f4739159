package dev.vernier.core.tuning;

import java.time.Instant;

/** One entry of FinalMetricDataList. */
public record MetricValue(String name, double value, Instant timestamp) {}
