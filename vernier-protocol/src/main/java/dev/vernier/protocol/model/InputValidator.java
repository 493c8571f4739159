package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pass over a request body against an input shape: checks every constraint of the model,
 * collecting all violations in SageMaker's wording, and builds the canonical copy (model members
 * only, in model order, enum aliases replaced). A value of the wrong JSON type is a
 * {@code SerializationException}, as AWS's JSON protocol answers before it validates anything.
 */
final class InputValidator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<String> errors = new ArrayList<>();

    static ObjectNode validate(Shape input, JsonNode body) {
        InputValidator v = new InputValidator();
        ObjectNode canonical = (ObjectNode) v.visit(input, body, "");
        if (!v.errors.isEmpty()) throw ApiException.validation(v.errors);
        return canonical;
    }

    private JsonNode visit(Shape shape, JsonNode value, String path) {
        return switch (shape.kind()) {
            case STRUCTURE -> structure(shape, value, path);
            case LIST -> list(shape, value, path);
            case MAP -> map(shape, value, path);
            case STRING -> string(shape, value, path);
            case INTEGER, LONG -> integral(shape, value, path);
            case FLOAT, DOUBLE -> floating(shape, value, path);
            case BOOLEAN -> {
                if (!value.isBoolean()) throw typeError(path, "a boolean", value);
                yield value;
            }
            case TIMESTAMP -> timestamp(value, path);
            case BLOB -> {
                if (!value.isTextual()) throw typeError(path, "a base64 string", value);
                yield value;
            }
        };
    }

    private ObjectNode structure(Shape shape, JsonNode value, String path) {
        if (!value.isObject()) throw typeError(path, "an object", value);
        ObjectNode out = NODES.objectNode();
        for (Shape.Member m : shape.members()) {
            JsonNode child = value.get(m.name());
            String childPath = path.isEmpty() ? m.pathName() : path + "." + m.pathName();
            if (child == null || child.isNull()) { // AWS reads an explicit null as "not set"
                if (m.required()) errors.add(violation(null, childPath, "Member must not be null"));
                continue;
            }
            out.set(m.name(), visit(m.shape(), child, childPath));
        }
        return out;
    }

    private ArrayNode list(Shape shape, JsonNode value, String path) {
        if (!value.isArray()) throw typeError(path, "a list", value);
        lengthBounds(shape, value.size(), value, path, errors);
        ArrayNode out = NODES.arrayNode(value.size());
        for (int i = 0; i < value.size(); i++) {
            String childPath = path + "." + (i + 1) + ".member";
            JsonNode child = value.get(i);
            if (child.isNull()) {
                errors.add(violation(null, childPath, "Member must not be null"));
                continue;
            }
            out.add(visit(shape.element(), child, childPath));
        }
        return out;
    }

    private ObjectNode map(Shape shape, JsonNode value, String path) {
        if (!value.isObject()) throw typeError(path, "a map", value);
        lengthBounds(shape, value.size(), value, path, errors);
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String entry = "{" + e.getKey() + "=" + e.getValue().asText() + "}";
            List<String> keyProblems = scalarProblems(shape.key(), e.getKey());
            if (!keyProblems.isEmpty()) errors.add(violation(quote(entry), path,
                    "Map keys must satisfy constraint: " + keyProblems));
            JsonNode v = e.getValue();
            if (v.isNull()) {
                errors.add(violation(quote(entry), path, "Map value must not be null"));
            } else if (shape.value().kind() == Shape.Kind.STRING) {
                if (!v.isTextual()) throw typeError(path + "." + e.getKey(), "a string", v);
                List<String> valueProblems = scalarProblems(shape.value(), v.textValue());
                if (!valueProblems.isEmpty()) errors.add(violation(quote(entry), path,
                        "Map value must satisfy constraint: " + valueProblems));
                out.set(e.getKey(), v);
            } else {
                out.set(e.getKey(), visit(shape.value(), v, path + "." + e.getKey()));
            }
        }
        return out;
    }

    private JsonNode string(Shape shape, JsonNode value, String path) {
        if (!value.isTextual()) throw typeError(path, "a string", value);
        String text = value.textValue();
        if (!shape.enumValues().isEmpty()) {
            String canonical = shape.enumSpellings.get(text);
            if (canonical == null) {
                errors.add(violation(quote(text), path, "Member must satisfy enum value set: " + shape.enumValues()));
                return value;
            }
            return canonical.equals(text) ? value : NODES.textNode(canonical);
        }
        for (String problem : scalarProblems(shape, text)) errors.add(violation(quote(text), path, problem));
        return value;
    }

    /** Length and pattern problems of a string; the pattern is only tried on a string within bounds. */
    private static List<String> scalarProblems(Shape shape, String text) {
        List<String> problems = new ArrayList<>(1);
        int length = text.codePointCount(0, text.length());
        boolean tooLong = lengthBounds(shape, length, null, null, problems);
        if (!tooLong && shape.pattern() != null && !shape.pattern().matcher(text).matches()) {
            problems.add("Member must satisfy regular expression pattern: " + displayPattern(shape.patternText));
        }
        if (!shape.enumValues().isEmpty() && !shape.enumSpellings.containsKey(text)) {
            problems.add("Member must satisfy enum value set: " + shape.enumValues());
        }
        return problems;
    }

    /** Adds length violations (as messages, or as full errors when {@code path} is given); true if too long. */
    private static boolean lengthBounds(Shape shape, int length, JsonNode value, String path, List<String> out) {
        boolean tooLong = false;
        String problem = null;
        if (shape.min != null && length < shape.min) {
            problem = "Member must have length greater than or equal to " + number(shape.min);
        } else if (shape.max != null && length > shape.max) {
            problem = "Member must have length less than or equal to " + number(shape.max);
            tooLong = true;
        }
        if (problem != null) out.add(path == null ? problem : violation(quote(render(value)), path, problem));
        return tooLong;
    }

    private JsonNode integral(Shape shape, JsonNode value, String path) {
        boolean isLong = shape.kind() == Shape.Kind.LONG;
        String expected = isLong ? "a long integer" : "an integer";
        if (!isFiniteNumber(value)) throw typeError(path, expected, value);
        BigDecimal decimal = value.decimalValue();
        long n;
        try {
            n = decimal.longValueExact();
        } catch (ArithmeticException e) {
            throw typeError(path, expected, value);
        }
        if (!isLong && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) throw typeError(path, expected, value);
        valueBounds(shape, n, path);
        // The smallest node that holds the value, as Jackson reads it, so canonical trees compare equal.
        return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
    }

    private JsonNode floating(Shape shape, JsonNode value, String path) {
        if (!isFiniteNumber(value)) throw typeError(path, "a number", value);
        double d = value.doubleValue();
        if (Double.isInfinite(d)) throw typeError(path, "a number within double range", value);
        valueBounds(shape, d, path);
        return NODES.numberNode(d);
    }

    private void valueBounds(Shape shape, double n, String path) {
        if (shape.min != null && n < shape.min) {
            errors.add(violation(quote(number(n)), path,
                    "Member must have value greater than or equal to " + number(shape.min)));
        } else if (shape.max != null && n > shape.max) {
            errors.add(violation(quote(number(n)), path,
                    "Member must have value less than or equal to " + number(shape.max)));
        }
    }

    /** Epoch seconds (fractions allowed); ISO-8601 strings are accepted too and converted. */
    private static JsonNode timestamp(JsonNode value, String path) {
        if (isFiniteNumber(value)) return NODES.numberNode(value.decimalValue());
        if (!value.isTextual()) throw typeError(path, "a timestamp (epoch seconds)", value);
        try {
            var instant = OffsetDateTime.parse(value.textValue()).toInstant();
            return NODES.numberNode(BigDecimal.valueOf(instant.getEpochSecond())
                    .add(BigDecimal.valueOf(instant.getNano(), 9)).stripTrailingZeros());
        } catch (DateTimeParseException e) {
            throw typeError(path, "a timestamp (epoch seconds)", value);
        }
    }

    /** Jackson reads an out-of-range float such as 1e400 as an infinite double. */
    private static boolean isFiniteNumber(JsonNode value) {
        return value.isNumber() && (!value.isFloatingPointNumber() || value.isBigDecimal()
                || Double.isFinite(value.doubleValue()));
    }

    static String violation(String renderedValue, String path, String constraint) {
        return "Value " + (renderedValue == null ? "null" : renderedValue) + " at '" + path
                + "' failed to satisfy constraint: " + constraint;
    }

    static String quote(String text) {
        return "'" + text + "'";
    }

    /** AWS prints the "pattern" of the Java service model, which anchors names with '^'. */
    private static String displayPattern(String pattern) {
        return pattern.startsWith("^") ? pattern : "^" + pattern;
    }

    /** A list or map as AWS prints it: {@code [a, b]}, {@code {k=v}}. */
    private static String render(JsonNode node) {
        if (node.isTextual()) return node.textValue();
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(render(n)));
            return parts.toString();
        }
        if (node.isObject()) {
            List<String> parts = new ArrayList<>();
            node.properties().forEach(e -> parts.add(e.getKey() + "=" + render(e.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        return node.toString();
    }

    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static ApiException typeError(String path, String expected, JsonNode found) {
        String where = path.isEmpty() ? "the request body" : "'" + path + "'";
        return new ApiException(ErrorCode.SERIALIZATION,
                "Cannot read " + where + ": expected " + expected + " but found " + describe(found));
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "a list";
        if (node.isObject()) return "an object";
        return node.getNodeType().toString().toLowerCase();
    }
}
