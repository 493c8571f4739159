package dev.vernier.cli.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.model.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns command-line values into request members as the AWS CLI's argprocess does: scalars by their
 * type, lists of scalars from several values, structures, maps and lists of structures from JSON or
 * from flat shorthand ({@code Key=a,Value=b}); any value may be {@code file://path}, read as text.
 */
public final class ParameterValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParameterValues() {}

    /** Reads a {@code file://} value's contents; answers other values as they are. */
    public static String expand(String option, String value) {
        if (value == null || !value.startsWith("file://")) return value;
        Path path = Path.of(value.substring("file://".length()).replaceFirst("^~(?=/)", System.getProperty("user.home")));
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': Unable to load paramfile "
                    + value + ": [Errno 2] No such file or directory: '" + path + "'");
        }
    }

    public static JsonNode parse(String option, Shape shape, List<String> rawValues) {
        List<String> values = rawValues.stream().map(v -> expand(option, v)).toList();
        String first = values.get(0);
        if (!shape.isScalar() && values.size() == 1 && looksLikeJson(first)) return json(option, first);
        return switch (shape.kind()) {
            case LIST -> {
                ArrayNode list = NODES.arrayNode();
                for (String v : values) list.add(shape.element().isScalar() ? scalar(option, shape.element(), v) : shorthand(option, shape.element(), v));
                yield list;
            }
            case STRUCTURE, MAP -> shorthand(option, shape, first);
            default -> scalar(option, shape, first);
        };
    }

    public static ObjectNode jsonObject(String option, String text) {
        JsonNode node = json(option, text);
        if (!node.isObject()) throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': expected a JSON object");
        return (ObjectNode) node;
    }

    private static boolean looksLikeJson(String v) {
        String t = v.strip();
        return t.startsWith("{") || t.startsWith("[");
    }

    private static JsonNode json(String option, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': Invalid JSON: "
                    + e.getOriginalMessage() + "\nJSON received: " + text.strip());
        }
    }

    static JsonNode scalar(String option, Shape shape, String v) {
        try {
            return switch (shape.kind()) {
                case INTEGER, LONG -> NODES.numberNode(Long.parseLong(v.strip()));
                case FLOAT, DOUBLE -> NODES.numberNode(Double.parseDouble(v.strip()));
                case BOOLEAN -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new NumberFormatException(v);
                    yield NODES.booleanNode(Boolean.parseBoolean(v));
                }
                default -> NODES.textNode(v);
            };
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': expected a "
                    + shape.kind().name().toLowerCase() + ", got '" + v + "'");
        }
    }

    /** Flat shorthand: {@code Name=x,Value=y}; nested structures need JSON. */
    private static JsonNode shorthand(String option, Shape shape, String text) {
        ObjectNode out = NODES.objectNode();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': Expected: '=', received: "
                        + "'" + pair + "' (give JSON, or flat Key=Value,Key2=Value2 shorthand)");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (shape.kind() == Shape.Kind.MAP) {
                out.set(key, shape.value().isScalar() ? scalar(option, shape.value(), value) : NODES.textNode(value));
            } else {
                Shape member = shape.member(key).map(Shape.Member::shape).orElseThrow(() -> new CliException(CliException.USAGE,
                        "Error parsing parameter '" + option + "': unknown key '" + key + "', valid choices are: "
                                + String.join(", ", shape.members().stream().map(Shape.Member::name).toList())));
                if (!member.isScalar()) {
                    throw new CliException(CliException.USAGE, "Error parsing parameter '" + option + "': " + key
                            + " is not a scalar; give this parameter as JSON");
                }
                out.set(key, scalar(option, member, value));
            }
        }
        return out;
    }
}
