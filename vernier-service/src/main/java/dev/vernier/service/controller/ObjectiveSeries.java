package dev.vernier.service.controller;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Store;
import java.util.ArrayList;
import java.util.List;

/** A training job's stored values of one metric, in logged order: what stopping rules judge. */
final class ObjectiveSeries {
    private ObjectiveSeries() {}

    static List<Double> read(Store store, String trainingJobName, String metric) {
        List<Double> out = new ArrayList<>();
        for (MetricPoint p : store.metricSeries(trainingJobName)) if (p.name().equals(metric)) out.add(p.value());
        return out;
    }
}
