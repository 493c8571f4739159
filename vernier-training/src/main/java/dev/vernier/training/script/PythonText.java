package dev.vernier.training.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values written as the training toolkit (Python) writes them: {@code str(value)} for command-line
 * arguments, {@code json.dumps(value, sort_keys=True, separators=(",", ":"))} for the environment.
 * Floats as Python's repr: shortest round-trip digits, exponent below 1e-4 and from 1e16.
 */
final class PythonText {
    private PythonText() {}

    /** Python's {@code str(value)}. */
    static String str(JsonNode value) {
        if (value == null || value.isNull()) return "None";
        if (value.isTextual()) return value.asText();
        if (value.isBoolean()) return value.asBoolean() ? "True" : "False";
        if (value.isIntegralNumber()) return value.bigIntegerValue().toString();
        if (value.isNumber()) return pythonFloat(value.doubleValue());
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.isTextual() ? "'" + v.asText().replace("\\", "\\\\").replace("'", "\\'") + "'" : str(v)));
            return "[" + String.join(", ", items) + "]";
        }
        List<String> items = new ArrayList<>();
        value.properties().forEach(e -> items.add("'" + e.getKey() + "': " + (e.getValue().isTextual()
                ? "'" + e.getValue().asText() + "'" : str(e.getValue()))));
        return "{" + String.join(", ", items) + "}";
    }

    /** Python's compact, key-sorted {@code json.dumps}. */
    static String json(JsonNode value) {
        if (value == null || value.isNull()) return "null";
        if (value.isTextual()) return value.toString();
        if (value.isBoolean()) return value.asBoolean() ? "true" : "false";
        if (value.isIntegralNumber()) return value.bigIntegerValue().toString();
        if (value.isNumber()) {
            double d = value.doubleValue();
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : pythonFloat(d);
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(json(v)));
            return "[" + String.join(",", items) + "]";
        }
        Map<String, JsonNode> sorted = new TreeMap<>();
        value.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        List<String> items = new ArrayList<>();
        sorted.forEach((k, v) -> items.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(k).toString() + ":" + json(v)));
        return "{" + String.join(",", items) + "}";
    }

    /** Python's {@code repr(float)}: 0.01, 1e-05, 1e+16, 10.0. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
