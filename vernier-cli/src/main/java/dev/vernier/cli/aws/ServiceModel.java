package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The client's view of the server's botocore model slice: operations and the shapes of their
 * requests and responses, as the AWS CLI uses them to build options, skeletons and to render
 * timestamps. Validation stays with the server's {@code ApiModel}.
 */
public final class ServiceModel {
    private static final String RESOURCE = "/dev/vernier/protocol/model/sagemaker-model.json";

    public enum Type { STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, TIMESTAMP, BLOB }

    /** One shape; aggregates are linked after loading, so a shape may contain itself. */
    public static final class Shape {
        public final String name;
        public final Type type;
        public final List<String> enumValues;
        public final Map<String, Shape> members = new LinkedHashMap<>();
        public final Set<String> required;
        public Shape member;
        public Shape key;
        public Shape value;

        Shape(String name, Type type, List<String> enumValues, Set<String> required) {
            this.name = name;
            this.type = type;
            this.enumValues = enumValues;
            this.required = required;
        }

        public boolean isScalar() {
            return type != Type.STRUCTURE && type != Type.LIST && type != Type.MAP;
        }
    }

    public record Operation(String name, Shape input, Shape output) {}

    private static final class Holder {
        static final ServiceModel SAGEMAKER = load();
    }

    private final Map<String, Operation> operations;

    private ServiceModel(Map<String, Operation> operations) {
        this.operations = operations;
    }

    public static ServiceModel sagemaker() {
        return Holder.SAGEMAKER;
    }

    /** Operations sorted by name. */
    public List<Operation> operations() {
        return List.copyOf(new TreeMap<>(operations).values());
    }

    public Operation operation(String name) {
        Operation op = operations.get(name);
        if (op == null) throw new IllegalArgumentException("no operation " + name);
        return op;
    }

    private static ServiceModel load() {
        JsonNode root;
        try (InputStream in = ServiceModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing " + RESOURCE);
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode shapesJson = root.get("shapes");
        Map<String, Shape> shapes = new HashMap<>();
        Map<String, Operation> ops = new LinkedHashMap<>();
        root.get("operations").properties().forEach(op -> {
            JsonNode in = op.getValue().get("input");
            JsonNode out = op.getValue().get("output");
            ops.put(op.getKey(), new Operation(op.getKey(),
                    in == null ? null : shape(in.asText(), shapesJson, shapes),
                    out == null ? null : shape(out.asText(), shapesJson, shapes)));
        });
        return new ServiceModel(Map.copyOf(ops));
    }

    private static Shape shape(String name, JsonNode all, Map<String, Shape> done) {
        Shape existing = done.get(name);
        if (existing != null) return existing;
        JsonNode json = all.get(name);
        List<String> enums = new ArrayList<>();
        json.path("enum").forEach(e -> enums.add(e.asText()));
        Set<String> required = new java.util.HashSet<>();
        json.path("required").forEach(r -> required.add(r.asText()));
        Shape shape = new Shape(name, Type.valueOf(json.get("type").asText().toUpperCase()), List.copyOf(enums),
                Set.copyOf(required));
        done.put(name, shape);
        json.path("members").properties().forEach(m ->
                shape.members.put(m.getKey(), shape(m.getValue().get("shape").asText(), all, done)));
        if (json.has("member")) shape.member = shape(json.get("member").get("shape").asText(), all, done);
        if (json.has("key")) shape.key = shape(json.get("key").get("shape").asText(), all, done);
        if (json.has("value")) shape.value = shape(json.get("value").get("shape").asText(), all, done);
        return shape;
    }
}
