package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints JSON byte for byte as the AWS CLI does, which is Python's {@code json.dumps(indent=4,
 * ensure_ascii=False)}: floats as Python's {@code repr}, non-ASCII characters kept, {@code {}} and
 * {@code []} for empty containers. Also Python's {@code str()} of scalars, which tables and text use.
 */
public final class PyJson {
    private PyJson() {}

    public static String print(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(out, node, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, JsonNode node, int level) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                indent(out, level + 1);
                quote(out, e.getKey());
                out.append(": ");
                write(out, e.getValue(), level + 1);
                if (it.hasNext()) out.append(',');
                out.append('\n');
            }
            indent(out, level);
            out.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                indent(out, level + 1);
                write(out, node.get(i), level + 1);
                if (i < node.size() - 1) out.append(',');
                out.append('\n');
            }
            indent(out, level);
            out.append(']');
        } else if (node.isTextual()) {
            quote(out, node.textValue());
        } else {
            out.append(node.isNull() || node.isMissingNode() ? "null" : node.isBoolean() ? String.valueOf(node.booleanValue()) : scalar(node));
        }
    }

    /** Python's {@code str()} of a JSON scalar: {@code True}, {@code None}, floats as {@code repr}. */
    public static String str(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return "None";
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue() ? "True" : "False";
        if (node.isContainerNode()) return print(node);
        return scalar(node);
    }

    private static String scalar(JsonNode number) {
        if (number.isIntegralNumber()) return number.bigIntegerValue().toString();
        return floatRepr(number.doubleValue());
    }

    /** Python's {@code repr(float)}: the shortest round-trip digits, scientific outside 1e-4 .. 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return 1 / d < 0 ? "-0.0" : "0.0";
        String sign = d < 0 ? "-" : "";
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int n = digits.length();
        int decpt = n - bd.scale();
        if (-4 < decpt && decpt <= 16) {
            if (decpt <= 0) return sign + "0." + "0".repeat(-decpt) + digits;
            if (decpt >= n) return sign + digits + "0".repeat(decpt - n) + ".0";
            return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        int exp = decpt - 1;
        String mantissa = n == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static void indent(StringBuilder out, int level) {
        out.append(" ".repeat(4 * level));
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
