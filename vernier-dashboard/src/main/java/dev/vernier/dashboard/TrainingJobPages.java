package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.StatusTransition;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.service.TrainingJobService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A training job's data and its stop action. */
final class TrainingJobPages {
    /** Points per metric sent with the page; longer series are thinned evenly (the live feed sends every new one). */
    static final int MAX_METRIC_POINTS = 2000;

    private final TrainingJobService training;

    TrainingJobPages(TrainingJobService training) {
        this.training = training;
    }

    ObjectNode detail(String name) {
        TrainingJob job = training.describe(name);
        ObjectNode out = job(job);
        List<MetricPoint> points = training.metricSeries(job.name());
        out.put("metricPoints", points.size());
        out.set("metrics", metrics(points, MAX_METRIC_POINTS));
        return out;
    }

    static ObjectNode job(TrainingJob job) {
        ObjectNode out = Rows.row(job);
        out.put("tuningJob", job.tuningJobName());
        if (job.definitionName() != null) out.put("definition", job.definitionName());
        out.put("arn", job.arn());
        out.put("objectiveStatus", job.objectiveStatus().name());
        if (job.modelArtifact() != null) out.put("modelArtifact", job.modelArtifact());
        if (job.retryOf() != null) out.put("retryOf", job.retryOf());
        ObjectNode all = out.putObject("hyperParameters");
        new TreeMap<>(job.hyperParameters()).forEach(all::put);
        ArrayNode transitions = out.putArray("transitions");
        for (StatusTransition t : job.transitions()) {
            ObjectNode o = transitions.addObject().put("status", t.status()).put("start", t.start().toEpochMilli());
            if (t.end() != null) o.put("end", t.end().toEpochMilli());
            if (t.message() != null) o.put("message", t.message());
        }
        ArrayNode finals = out.putArray("finalMetrics");
        for (MetricValue m : job.finalMetrics()) {
            ObjectNode o = finals.addObject().put("name", m.name()).put("value", m.value());
            Rows.putMillis(o, "at", m.timestamp());
        }
        return out;
    }

    /** Every metric's series {name: [[time, value], ...]}, each thinned evenly to at most {@code max} points. */
    static ObjectNode metrics(List<MetricPoint> points, int max) {
        Map<String, List<MetricPoint>> byName = new TreeMap<>();
        for (MetricPoint p : points) byName.computeIfAbsent(p.name(), n -> new java.util.ArrayList<>()).add(p);
        ObjectNode out = Http.JSON.createObjectNode();
        byName.forEach((name, series) -> {
            ArrayNode a = out.putArray(name);
            int stride = Math.max(1, (series.size() + max - 1) / max);
            for (int i = 0; i < series.size(); i += stride) {
                if (i + stride >= series.size()) i = series.size() - 1;   // the last point always shows
                a.addArray().add(series.get(i).timestamp().toEpochMilli()).add(series.get(i).value());
            }
        });
        return out;
    }

    ObjectNode stop(String name) {
        training.stop(name);
        return Http.JSON.createObjectNode().put("stopping", name).put("at", Instant.now().toEpochMilli());
    }
}
