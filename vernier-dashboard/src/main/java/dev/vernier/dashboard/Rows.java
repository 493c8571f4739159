package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningPlan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How training jobs and hyperparameters are written into the dashboard's JSON. */
final class Rows {
    private Rows() {}

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static Double objective(TrainingJob j) {
        return j.objectiveStatus() == ObjectiveStatus.SUCCEEDED ? j.objectiveValue() : null;
    }

    /** One training job as a row of the live feed and the table. */
    static ObjectNode row(TrainingJob j) {
        ObjectNode row = Http.JSON.createObjectNode();
        row.put("name", j.name());
        row.put("ordinal", j.ordinal());
        row.put("status", j.status().apiName());
        row.put("secondary", j.secondaryStatus());
        if (objective(j) != null) row.put("objective", objective(j));
        putMillis(row, "created", j.creationTime());
        putMillis(row, "start", j.trainingStartTime());
        putMillis(row, "end", j.trainingEndTime());
        putMillis(row, "modified", j.lastModifiedTime());
        if (j.trainingSeconds() != null) row.put("seconds", j.trainingSeconds());
        if (j.failureReason() != null) row.put("failureReason", j.failureReason());
        ObjectNode hp = row.putObject("hp");
        j.tunedHyperParameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> hp.put(e.getKey(), e.getValue()));
        return row;
    }

    static void putMillis(ObjectNode node, String field, Instant t) {
        if (t != null) node.put(field, t.toEpochMilli());
    }

    /** Every tunable hyperparameter across the definitions, by name (the first definition's range wins). */
    static Map<String, Parameter> parameters(TuningPlan plan) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Subspace s : plan.space().subspaces()) for (Parameter p : s.parameters()) out.putIfAbsent(p.name(), p);
        return out;
    }

    static ArrayNode describe(Map<String, Parameter> parameters) {
        ArrayNode out = Http.JSON.createArrayNode();
        for (Parameter p : parameters.values()) {
            ObjectNode o = out.addObject().put("name", p.name());
            switch (p) {
                case ContinuousParameter c -> o.put("type", "Continuous").put("min", c.min()).put("max", c.max())
                        .put("scaling", scaling(c.effectiveScaling()));
                case IntegerParameter i -> o.put("type", "Integer").put("min", i.min()).put("max", i.max())
                        .put("scaling", scaling(i.effectiveScaling()));
                case CategoricalParameter c -> {
                    o.put("type", "Categorical");
                    c.values().forEach(o.putArray("values")::add);
                }
            }
        }
        return out;
    }

    private static String scaling(Scaling s) {
        return switch (s) {
            case LOGARITHMIC -> "Logarithmic";
            case REVERSE_LOGARITHMIC -> "ReverseLogarithmic";
            default -> "Linear";
        };
    }

    /** A hyperparameter's value as a number for numeric ranges, as text for categorical ones; null when absent. */
    static Object value(Parameter p, String raw) {
        if (raw == null) return null;
        if (p instanceof CategoricalParameter) return raw;
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
