package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the model slice written by {@code tools/extract-model.py} and compiles its shapes. */
final class ModelLoader {
    /**
     * Vernier extension (DESIGN.md): data locations may also be {@code file://} URIs, as the SageMaker
     * Python SDK's local mode accepts them. Only matching widens; messages quote the model's pattern.
     */
    private static final Map<String, String> WIDER_PATTERNS = Map.of("S3Uri", "file://.+");

    private final JsonNode shapesJson;
    private final Map<String, Shape> shapes = new HashMap<>();

    private ModelLoader(JsonNode shapesJson) {
        this.shapesJson = shapesJson;
    }

    static Map<String, ApiModel.Operation> load(String resource) {
        JsonNode root;
        try (InputStream in = ModelLoader.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing model resource " + resource);
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelLoader loader = new ModelLoader(root.get("shapes"));
        Map<String, ApiModel.Operation> operations = new LinkedHashMap<>();
        root.get("operations").properties().forEach(op -> {
            JsonNode in = op.getValue().get("input");
            JsonNode out = op.getValue().get("output");
            operations.put(op.getKey(), new ApiModel.Operation(op.getKey(),
                    in == null ? null : loader.shape(in.asText()),
                    out == null ? null : loader.shape(out.asText())));
        });
        loader.markShaping();
        return Map.copyOf(operations);
    }

    private Shape shape(String name) {
        Shape done = shapes.get(name);
        if (done != null) return done;
        JsonNode json = shapesJson.get(name);
        if (json == null) throw new IllegalStateException("model has no shape " + name);
        Shape shape = create(name, json);
        shapes.put(name, shape); // before linking: shapes may refer to themselves
        switch (shape.kind()) {
            case STRUCTURE -> {
                Set<String> required = new HashSet<>();
                json.path("required").forEach(r -> required.add(r.asText()));
                List<Shape.Member> members = new ArrayList<>();
                json.path("members").properties().forEach(m -> members.add(new Shape.Member(
                        m.getKey(), Shape.lowerCamel(m.getKey()),
                        shape(m.getValue().get("shape").asText()), required.contains(m.getKey()))));
                shape.linkMembers(members);
            }
            case LIST -> shape.linkElement(shape(json.get("member").get("shape").asText()));
            case MAP -> shape.linkEntries(shape(json.get("key").get("shape").asText()),
                    shape(json.get("value").get("shape").asText()));
            default -> { }
        }
        return shape;
    }

    private static Shape create(String name, JsonNode json) {
        Shape.Kind kind = Shape.Kind.valueOf(json.get("type").asText().toUpperCase());
        Double min = json.has("min") ? json.get("min").asDouble() : null;
        Double max = json.has("max") ? json.get("max").asDouble() : null;
        String patternText = json.has("pattern") ? json.get("pattern").asText() : null;
        String regex = null;
        if (patternText != null && !patternText.equals("[\\S\\s]*")) {
            String wider = WIDER_PATTERNS.get(name);
            regex = wider == null ? patternText : "(?:" + patternText + ")|(?:" + wider + ")";
        }
        List<String> enumValues = new ArrayList<>();
        json.path("enum").forEach(e -> enumValues.add(e.asText()));
        Map<String, String> spellings = new HashMap<>(EnumAliases.forShape(name));
        for (String v : enumValues) spellings.put(v, v);
        return new Shape(name, kind, min, max, patternText, regex,
                List.copyOf(enumValues), enumValues.isEmpty() ? Map.of() : Map.copyOf(spellings));
    }

    /** A shape needs output shaping if a structure can be reached from it. */
    private void markShaping() {
        boolean changed = true;
        for (Shape s : shapes.values()) s.mayNeedShaping = s.kind() == Shape.Kind.STRUCTURE;
        while (changed) {
            changed = false;
            for (Shape s : shapes.values()) {
                if (s.mayNeedShaping) continue;
                boolean needs = (s.element() != null && s.element().mayNeedShaping)
                        || (s.value() != null && s.value().mayNeedShaping);
                if (needs) {
                    s.mayNeedShaping = true;
                    changed = true;
                }
            }
        }
    }
}
