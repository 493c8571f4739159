package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Collects rule violations in SageMaker's wording, so that a request hears about all of them at once. */
public final class Violations {
    private static final int MAX_RENDERED = 256;

    private final List<String> messages = new ArrayList<>();

    /** "Value V at 'path' failed to satisfy constraint: constraint"; a missing value prints as null. */
    public void add(String path, JsonNode value, String constraint) {
        messages.add(InputValidator.violation(render(value), path, constraint));
    }

    public void unsupported(String path, JsonNode value, String feature) {
        add(path, value, feature + " is not supported by Vernier");
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    public void throwIfAny() {
        if (!messages.isEmpty()) throw ApiException.validation(messages);
    }

    /** A member name as AWS spells it in a field path: lower camel case. */
    public static String pathName(String memberName) {
        return Shape.lowerCamel(memberName);
    }

    private static String render(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        String text = value.isValueNode() ? value.asText() : value.toString();
        // Whole definitions can be kilobytes long; the path already says where the problem is.
        return InputValidator.quote(text.length() > MAX_RENDERED ? text.substring(0, MAX_RENDERED) + "..." : text);
    }
}
