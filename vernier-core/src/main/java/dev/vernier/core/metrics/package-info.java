/**
 * Metrics read from training logs: {@link dev.vernier.core.metrics.MetricDefinition}s (name + RE2
 * regex whose first capture group is the value), the {@link dev.vernier.core.metrics.MetricParser}
 * that turns one log line into timestamped {@link dev.vernier.core.metrics.MetricPoint}s, and
 * {@link dev.vernier.core.metrics.FinalMetrics} for the last value of each metric.
 *
 * <p>RE2/J matches in time linear in the line length, so no regex a client sends and no line a
 * training program prints can stall the server.
 */
package dev.vernier.core.metrics;
