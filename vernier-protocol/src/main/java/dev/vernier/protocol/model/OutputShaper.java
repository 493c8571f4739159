package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Keeps only the members of an output shape, recursively, in model order. Values that cannot
 * hold a structure are shared rather than copied, so a Describe costs one walk of its structures.
 */
final class OutputShaper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OutputShaper() {}

    static ObjectNode shape(Shape output, JsonNode response) {
        if (response == null || !response.isObject()) return NODES.objectNode();
        return structure(output, response);
    }

    /** The shaped value, or null when the value cannot be of this shape (it is then left out). */
    private static JsonNode visit(Shape shape, JsonNode value) {
        return switch (shape.kind()) {
            case STRUCTURE -> value.isObject() ? structure(shape, value) : null;
            case LIST -> !value.isArray() ? null : shape.mayNeedShaping ? list(shape, value) : value;
            case MAP -> !value.isObject() ? null : shape.mayNeedShaping ? map(shape, value) : value;
            default -> value.isContainerNode() ? null : value;
        };
    }

    private static ObjectNode structure(Shape shape, JsonNode value) {
        ObjectNode out = NODES.objectNode();
        for (Shape.Member m : shape.members()) {
            JsonNode child = value.get(m.name());
            if (child == null || child.isNull()) continue;
            JsonNode shaped = visit(m.shape(), child);
            if (shaped != null) out.set(m.name(), shaped);
        }
        return out;
    }

    private static ArrayNode list(Shape shape, JsonNode value) {
        ArrayNode out = NODES.arrayNode(value.size());
        for (JsonNode child : value) {
            JsonNode shaped = child.isNull() ? null : visit(shape.element(), child);
            if (shaped != null) out.add(shaped);
        }
        return out;
    }

    private static ObjectNode map(Shape shape, JsonNode value) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode shaped = e.getValue().isNull() ? null : visit(shape.value(), e.getValue());
            if (shaped != null) out.set(e.getKey(), shaped);
        }
        return out;
    }
}
