package dev.vernier.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects rule violations in SageMaker's wording, so that a request hears about all of them at once. */
final class Violations {
    private static final int MAX_RENDERED = 256;

    private final List<String> messages = new ArrayList<>();

    /** "Value V at 'path' failed to satisfy constraint: constraint"; a missing value prints as null. */
    void add(String path, JsonNode value, String constraint) {
        messages.add(InputValidator.violation(render(value), path, constraint));
    }

    void unsupported(String path, JsonNode value, String feature) {
        add(path, value, feature + " is not supported by Vernier");
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    void throwIfAny() {
        if (!messages.isEmpty()) throw ApiException.validation(messages);
    }

    private static String render(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        String text = value.isValueNode() ? value.asText() : value.toString();
        // Whole definitions can be kilobytes long; the path already says where the problem is.
        return InputValidator.quote(text.length() > MAX_RENDERED ? text.substring(0, MAX_RENDERED) + "..." : text);
    }
}
