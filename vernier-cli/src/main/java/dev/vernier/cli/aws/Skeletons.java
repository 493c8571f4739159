package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.model.Shape;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * botocore's {@code ArgumentGenerator}, as {@code --generate-cli-skeleton} uses it: one element per
 * list, {@code "KeyName"} per map, a structure that contains itself becomes {@code {}}. Input
 * skeletons have empty strings and, for enums, the first value (botocore picks one at random, which
 * makes its skeletons differ from run to run); output skeletons name each string after its member.
 */
public final class Skeletons {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How botocore's JSON encoder prints {@code datetime(1970, 1, 1)}. */
    static final String EPOCH = "1970-01-01T00:00:00";

    private Skeletons() {}

    public static JsonNode input(Shape shape) {
        return shape == null ? NODES.objectNode() : generate(shape, new ArrayDeque<>(), "", false);
    }

    public static JsonNode output(Shape shape) {
        return shape == null ? NODES.objectNode() : generate(shape, new ArrayDeque<>(), "", true);
    }

    private static JsonNode generate(Shape shape, Deque<String> stack, String name, boolean memberNames) {
        stack.push(shape.name());
        try {
            return switch (shape.kind()) {
                case STRUCTURE -> structure(shape, stack, memberNames);
                case LIST -> {
                    ArrayNode list = NODES.arrayNode();
                    list.add(generate(shape.element(), stack, memberNames ? shape.element().name() : "", memberNames));
                    yield list;
                }
                case MAP -> {
                    ObjectNode map = NODES.objectNode();
                    map.set("KeyName", generate(shape.value(), stack, "", memberNames));
                    yield map;
                }
                case STRING -> NODES.textNode(memberNames ? name
                        : shape.enumValues().isEmpty() ? "" : shape.enumValues().get(0));
                case INTEGER, LONG -> NODES.numberNode(0);
                case FLOAT, DOUBLE -> NODES.numberNode(0.0);
                case BOOLEAN -> NODES.booleanNode(true);
                case TIMESTAMP -> NODES.textNode(EPOCH);
                case BLOB -> NODES.nullNode();
            };
        } finally {
            stack.pop();
        }
    }

    private static JsonNode structure(Shape shape, Deque<String> stack, boolean memberNames) {
        ObjectNode out = NODES.objectNode();
        if (stack.stream().filter(shape.name()::equals).count() > 1) return out;
        for (Shape.Member m : shape.members()) {
            out.set(m.name(), generate(m.shape(), stack, m.name(), memberNames));
        }
        return out;
    }
}
