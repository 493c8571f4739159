package dev.vernier.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SageMaker's {@code FinalMetricDataList} and the objective, from a job's metric series. */
public final class FinalMetrics {
    private FinalMetrics() {}

    /**
     * The last point of each metric (latest timestamp; among equal timestamps the one that came
     * later in the series), in order of each metric's first appearance.
     */
    public static List<MetricPoint> lastValues(List<MetricPoint> series) {
        Map<String, MetricPoint> last = new LinkedHashMap<>();
        for (MetricPoint p : series) {
            MetricPoint seen = last.get(p.name());
            if (seen == null || !p.timestamp().isBefore(seen.timestamp())) last.put(p.name(), p);
        }
        return new ArrayList<>(last.values());
    }

    /** The final value of the objective metric, or empty when the job never reported it. */
    public static Optional<Double> objective(List<MetricPoint> series, String objectiveMetricName) {
        return lastValues(series).stream()
                .filter(p -> p.name().equals(objectiveMetricName))
                .map(MetricPoint::value)
                .findFirst();
    }
}
