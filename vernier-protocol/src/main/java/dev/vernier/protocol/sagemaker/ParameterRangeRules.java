package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.model.Violations;
import dev.vernier.protocol.sagemaker.TuningJobRequestRules.Definition;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Rules on the hyperparameter ranges that apply to one training-job definition. */
final class ParameterRangeRules {
    /** ParameterRanges documentation: the list maximum (30) also bounds the sum over the three lists. */
    static final int MAX_RANGES = 30;

    private ParameterRangeRules() {}

    static void check(Definition d, Violations v) {
        JsonNode ranges = d.ranges();
        if (ranges == null) {
            v.add(d.rangesPath(), null, "Member must not be null: a tuning job needs at least one hyperparameter range");
            return;
        }
        if (ranges.path("AutoParameters").size() > 0) {
            v.unsupported(d.rangesPath() + ".autoParameters", ranges.get("AutoParameters"), "AutoParameters (Autotune)");
        }
        int count = ranges.path("IntegerParameterRanges").size() + ranges.path("ContinuousParameterRanges").size()
                + ranges.path("CategoricalParameterRanges").size();
        if (count == 0) {
            v.add(d.rangesPath(), ranges, "At least one of IntegerParameterRanges, ContinuousParameterRanges "
                    + "and CategoricalParameterRanges must have a range");
        } else if (count > MAX_RANGES) {
            v.add(d.rangesPath(), ranges, "The three range lists together must have at most " + MAX_RANGES
                    + " ranges; found " + count);
        }
        Map<String, String> names = new HashMap<>();
        JsonNode statics = d.node().path("StaticHyperParameters");
        numeric(ranges.path("IntegerParameterRanges"), d.rangesPath() + ".integerParameterRanges", true, names, statics, v);
        numeric(ranges.path("ContinuousParameterRanges"), d.rangesPath() + ".continuousParameterRanges", false, names, statics, v);
        categorical(ranges.path("CategoricalParameterRanges"), d.rangesPath() + ".categoricalParameterRanges", names, statics, v);
    }

    private static void numeric(JsonNode list, String listPath, boolean integer, Map<String, String> names,
                                JsonNode statics, Violations v) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode range = list.get(i);
            String path = listPath + "." + (i + 1) + ".member";
            name(range.get("Name"), path, names, statics, v);
            BigDecimal min = number(range.get("MinValue"), path + ".minValue", integer, v);
            BigDecimal max = number(range.get("MaxValue"), path + ".maxValue", integer, v);
            String scaling = range.path("ScalingType").asText("Auto");
            if (integer && scaling.equals("ReverseLogarithmic")) {
                v.add(path + ".scalingType", range.get("ScalingType"),
                        "ReverseLogarithmic scaling applies only to ContinuousParameterRanges");
            }
            if (min == null || max == null) continue;
            if (min.compareTo(max) > 0) {
                v.add(path + ".minValue", range.get("MinValue"),
                        "MinValue must be less than or equal to MaxValue '" + range.get("MaxValue").asText() + "'");
            } else if (scaling.equals("Logarithmic") && min.signum() <= 0) {
                v.add(path + ".minValue", range.get("MinValue"),
                        "Logarithmic scaling needs a range of values greater than 0");
            } else if (!integer && scaling.equals("ReverseLogarithmic")
                    && (min.signum() < 0 || min.compareTo(max) >= 0 || max.compareTo(BigDecimal.ONE) >= 0)) {
                v.add(path + ".minValue", range.get("MinValue"), "ReverseLogarithmic scaling needs "
                        + "0 <= MinValue < MaxValue < 1; MaxValue is '" + range.get("MaxValue").asText() + "'");
            }
        }
    }

    /** The value as a number, or null after reporting why it is not one. */
    private static BigDecimal number(JsonNode value, String path, boolean integer, Violations v) {
        if (value == null) return null; // already reported by the model's required constraint
        BigDecimal n;
        try {
            n = new BigDecimal(value.asText().trim());
            if (!Double.isFinite(n.doubleValue())) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            v.add(path, value, integer ? "Member must be an integer" : "Member must be a number");
            return null;
        }
        if (integer) {
            try {
                n.longValueExact();
            } catch (ArithmeticException e) {
                v.add(path, value, "Member must be an integer");
                return null;
            }
        }
        return n;
    }

    private static void categorical(JsonNode list, String listPath, Map<String, String> names, JsonNode statics,
                                    Violations v) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode range = list.get(i);
            String path = listPath + "." + (i + 1) + ".member";
            name(range.get("Name"), path, names, statics, v);
            JsonNode values = range.path("Values");
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < values.size(); j++) {
                String valuePath = path + ".values." + (j + 1) + ".member";
                String value = values.get(j).asText();
                if (value.isEmpty()) v.add(valuePath, values.get(j), "Categorical values must not be empty");
                else if (!seen.add(value)) v.add(valuePath, values.get(j), "Categorical values must be unique");
            }
        }
    }

    private static void name(JsonNode name, String path, Map<String, String> names, JsonNode statics, Violations v) {
        if (name == null) return; // already reported by the model's required constraint
        String text = name.asText();
        if (text.isEmpty()) {
            v.add(path + ".name", name, "Hyperparameter names must not be empty");
            return;
        }
        String earlier = names.putIfAbsent(text, path + ".name");
        if (earlier != null) {
            v.add(path + ".name", name, "Hyperparameter names must be unique across IntegerParameterRanges, "
                    + "ContinuousParameterRanges and CategoricalParameterRanges; also at '" + earlier + "'");
        }
        if (statics.has(text)) {
            v.add(path + ".name", name, "A tuned hyperparameter must not also be in StaticHyperParameters");
        }
    }
}
