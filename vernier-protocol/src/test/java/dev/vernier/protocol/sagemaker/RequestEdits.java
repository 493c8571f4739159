package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.UnaryOperator;

/** Test requests: the files under {@code requests/} and edits of them addressed by JSON pointer. */
public final class RequestEdits {
    public static final ObjectMapper JSON = new ObjectMapper();

    private RequestEdits() {}

    public static ObjectNode load(String name) {
        try (InputStream in = RequestEdits.class.getResourceAsStream("/requests/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** JSON with single quotes for readability in tables. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sets the value at {@code pointer} (the last step may be a new member or an array index). */
    public static UnaryOperator<ObjectNode> set(String pointer, String valueJson) {
        return request -> {
            ObjectNode copy = request.deepCopy();
            JsonPointer p = JsonPointer.compile(pointer);
            JsonNode parent = copy.at(p.head());
            JsonNode value = json(valueJson);
            if (parent instanceof ObjectNode o) o.set(p.last().getMatchingProperty(), value);
            else if (parent instanceof ArrayNode a) {
                int i = p.last().getMatchingIndex();
                if (i < a.size()) a.set(i, value); else a.add(value);
            } else throw new AssertionError("no container at " + p.head());
            return copy;
        };
    }

    public static UnaryOperator<ObjectNode> remove(String pointer) {
        return request -> {
            ObjectNode copy = request.deepCopy();
            JsonPointer p = JsonPointer.compile(pointer);
            JsonNode parent = copy.at(p.head());
            if (parent instanceof ObjectNode o) o.remove(p.last().getMatchingProperty());
            else if (parent instanceof ArrayNode a) a.remove(p.last().getMatchingIndex());
            return copy;
        };
    }

    @SafeVarargs
    public static UnaryOperator<ObjectNode> all(UnaryOperator<ObjectNode>... edits) {
        return request -> {
            ObjectNode out = request;
            for (UnaryOperator<ObjectNode> e : edits) out = e.apply(out);
            return out;
        };
    }
}
