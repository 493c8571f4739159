package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests built from the API model against a real server, for every operation it serves: every value of every
 * enum at every place the operation's input can hold it, then random requests generated from the input shape
 * (member values at, inside and beyond their bounds, names of jobs that exist and do not, times far beyond any
 * clock, NULs) and mutated. Whatever the request, the answer is a 200 or an AWS error in the 4xx range, never a 5xx.
 */
class EveryOperationFuzzTest {
    static final int RANDOM_PER_OPERATION = 500;
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private JsonNode shapes;
    private final Random random = new Random(20261204);
    private final List<String> names = new ArrayList<>();
    private final List<String> arns = new ArrayList<>();
    private int requests;
    private int serverErrors;
    private final List<String> failures = new ArrayList<>();
    private final Set<String> created = new HashSet<>();

    @Test
    void everyOperationAndEveryEnumValueGetsA200OrA4xxNeverA5xx() throws Exception {
        JsonNode model;
        try (InputStream in = getClass().getResourceAsStream("/dev/vernier/protocol/model/sagemaker-model.json")) {
            model = Json.MAPPER.readTree(in);
        }
        shapes = model.get("shapes");
        try (TestServer server = TestServer.start(dir)) {
            RawClient raw = new RawClient(server.endpoint());
            String arn = server.client().createHyperParameterTuningJob(Requests.minimalCreate("fz-base"))
                    .hyperParameterTuningJobArn();
            names.addAll(List.of("fz-base", "FZ-BASE", "no-such-job", "fz-base-001-00000000"));
            arns.addAll(List.of(arn, arn.replace("fz-base", "no-such-job"),
                    "arn:aws:sagemaker:us-east-1:123456789012:training-job/fz-base-001-00000000", "arn:aws:s3:::bucket"));
            ObjectNode createSeed = RoundTripTest.read("create-maximal.json");
            createSeed.remove("WarmStartConfig");

            Iterator<String> operations = model.get("operations").fieldNames();
            while (operations.hasNext()) {
                String operation = operations.next();
                String input = model.get("operations").get(operation).get("input").asText();
                boolean create = operation.equals("CreateHyperParameterTuningJob");
                ObjectNode base = create ? createSeed : minimal(input);
                List<EnumSite> sites = new ArrayList<>();
                enumSites(input, new ArrayList<>(), sites, new HashSet<>());
                for (EnumSite site : sites) {
                    for (JsonNode value : shapes.get(site.shape()).get("enum")) {
                        ObjectNode request = base.deepCopy();
                        set(request, site.path(), value.deepCopy());
                        send(raw, server, operation, request);
                    }
                }
                for (int i = 0; i < RANDOM_PER_OPERATION; i++) {
                    JsonNode generated = random.nextBoolean() ? generate(input, 0) : null;
                    ObjectNode request = generated instanceof ObjectNode o ? o : base.deepCopy();
                    int edits = random.nextInt(4);
                    for (int e = 0; e < edits; e++) FuzzTest.mutate(request, random);
                    send(raw, server, operation, request);
                }
            }
            for (String path : List.of("/v1/training-jobs/fz-base-001-00000000/log", "/v1/training-jobs/x/log?offset=-1",
                    "/v1/training-jobs/x/log?offset=abc&limit=1e3", "/v1/training-jobs/x/log?offset=99999999999999999999",
                    "/v1/training-jobs/x/log?limit=0", "/v1/training-jobs//log", "/v1/training-jobs/%00/log",
                    "/v1/training-jobs/x", "/v1/training-jobs/", "/v1/other", "/v1/training-jobs/x/log?offset=%2500",
                    "/v1/training-jobs/" + "x".repeat(5000) + "/log")) {
                RawClient.Response r = raw.get(path);
                requests++;
                if (r.status() >= 500) {
                    serverErrors++;
                    failures.add("GET " + path + " -> " + r.status() + " " + r.body());
                }
            }
        }
        System.out.printf("EveryOperationFuzzTest: %d requests, %d answers of 5xx, %d tuning jobs created%n",
                requests, serverErrors, created.size());
        assertThat(failures).as("%d of %d requests answered 5xx", serverErrors, requests).isEmpty();
        assertThat(requests).isGreaterThan(5000);
    }

    private void send(RawClient raw, TestServer server, String operation, ObjectNode request) {
        boolean create = operation.equals("CreateHyperParameterTuningJob");
        if (create) request.put("HyperParameterTuningJobName", "fz-" + requests);
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        RawClient.Response r = raw.send("SageMaker." + operation, body, true);
        requests++;
        if (r.status() >= 500) {
            serverErrors++;
            if (failures.size() < 20) failures.add(operation + " " + Json.write(request) + " -> " + r.status() + " " + r.body());
        } else if (r.status() != 200) {
            JsonNode error = Json.parseObject(r.body());
            if (!error.path("__type").isTextual() || error.path("message").asText().isBlank())
                failures.add(operation + " " + Json.write(request) + " -> " + r.status() + " without an AWS error: " + r.body());
        }
        if (create && r.status() == 200) {
            String name = request.get("HyperParameterTuningJobName").asText();
            created.add(name);
            // keep the machine's load down: the training jobs of accepted requests are not what is tested here
            raw.call("StopHyperParameterTuningJob", "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
        }
    }

    record EnumSite(List<Object> path, String shape) {}

    /** Every place in {@code shapeName} (lists at index 0, maps at key "k") that holds an enum. */
    private void enumSites(String shapeName, List<Object> path, List<EnumSite> out, Set<String> onPath) {
        JsonNode shape = shapes.get(shapeName);
        if (shape.has("enum")) {
            out.add(new EnumSite(List.copyOf(path), shapeName));
            return;
        }
        if (!onPath.add(shapeName) || path.size() > 10) return;
        switch (shape.get("type").asText()) {
            case "structure" -> shape.get("members").fields().forEachRemaining(m -> {
                path.add(m.getKey());
                enumSites(m.getValue().get("shape").asText(), path, out, onPath);
                path.removeLast();
            });
            case "list" -> {
                path.add(0);
                enumSites(shape.get("member").get("shape").asText(), path, out, onPath);
                path.removeLast();
            }
            case "map" -> {
                path.add("k");
                enumSites(shape.get("value").get("shape").asText(), path, out, onPath);
                path.removeLast();
            }
            default -> { }
        }
        onPath.remove(shapeName);
    }

    /** Sets {@code value} at {@code path}, making the objects and one-element lists on the way. */
    private static void set(ObjectNode root, List<Object> path, JsonNode value) {
        JsonNode node = root;
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? null : path.get(i + 1);
            if (step instanceof Integer) {
                ArrayNode array = (ArrayNode) node;
                if (last) {
                    if (array.isEmpty()) array.add(value); else array.set(0, value);
                    return;
                }
                if (array.isEmpty() || !array.get(0).isContainerNode())
                    array.insert(0, next instanceof Integer ? F.arrayNode() : F.objectNode());
                node = array.get(0);
            } else {
                ObjectNode object = (ObjectNode) node;
                String name = (String) step;
                if (last) {
                    object.set(name, value);
                    return;
                }
                JsonNode child = object.get(name);
                boolean fits = child != null && (next instanceof Integer ? child.isArray() : child.isObject());
                if (!fits) child = object.set(name, next instanceof Integer ? F.arrayNode() : F.objectNode()).get(name);
                node = child;
            }
        }
    }

    /** The required members of a structure, each with a plausible value. */
    private ObjectNode minimal(String shapeName) {
        ObjectNode out = F.objectNode();
        JsonNode shape = shapes.get(shapeName);
        for (JsonNode required : shape.path("required")) {
            String member = required.asText();
            String memberShape = shape.get("members").get(member).get("shape").asText();
            out.set(member, plausible(member, memberShape));
        }
        return out;
    }

    private JsonNode plausible(String member, String shapeName) {
        if (member.endsWith("Arn")) return F.textNode(arns.get(0));
        if (member.endsWith("Name")) return F.textNode(names.get(0));
        if (member.equals("TagKeys")) return F.arrayNode().add("team");
        if (member.equals("Tags")) return F.arrayNode().add(F.objectNode().put("Key", "team").put("Value", "x"));
        return generate(shapeName, 3);
    }

    /** A value of {@code shapeName}: often valid, sometimes at or past its bounds, now and then of another type. */
    private JsonNode generate(String shapeName, int depth) {
        if (random.nextInt(40) == 0) return FuzzTest.randomValue(random, null);
        JsonNode shape = shapes.get(shapeName);
        return switch (shape.get("type").asText()) {
            case "structure" -> {
                ObjectNode out = F.objectNode();
                Set<String> required = new HashSet<>();
                shape.path("required").forEach(r -> required.add(r.asText()));
                shape.get("members").fields().forEachRemaining(m -> {
                    boolean include = required.contains(m.getKey()) ? random.nextInt(10) > 0 : random.nextInt(3) == 0;
                    if (include && depth < 6)
                        out.set(m.getKey(), nameOrArn(m.getKey()).orElseGet(() ->
                                generate(m.getValue().get("shape").asText(), depth + 1)));
                });
                yield out;
            }
            case "list" -> {
                ArrayNode out = F.arrayNode();
                int n = random.nextInt(depth < 6 ? 4 : 1);
                for (int i = 0; i < n; i++) out.add(generate(shape.get("member").get("shape").asText(), depth + 1));
                yield out;
            }
            case "map" -> {
                ObjectNode out = F.objectNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++)
                    out.set(string(shapes.get(shape.get("key").get("shape").asText())).asText(),
                            generate(shape.get("value").get("shape").asText(), depth + 1));
                yield out;
            }
            case "string" -> string(shape);
            case "integer", "long" -> integer(shape);
            case "float", "double" -> F.numberNode(pick(0.0, 0.5, -1.0, 1e39, -1e39, 1e308, 3.4028235e38, 1e-45));
            case "boolean" -> F.booleanNode(random.nextBoolean());
            case "timestamp" -> pickNode(F.numberNode(0), F.numberNode(1.7e9), F.numberNode(1e16), F.numberNode(-1e16),
                    F.numberNode(new java.math.BigDecimal("1e300")), F.numberNode(9.2233720368547758e15),
                    F.textNode("2026-01-01T00:00:00Z"), F.textNode("+999999999-12-31T23:59:59Z"),
                    F.textNode("-999999999-01-01T00:00:00Z"), F.textNode("yesterday"));
            default -> F.nullNode();
        };
    }

    private java.util.Optional<JsonNode> nameOrArn(String member) {
        if (random.nextInt(3) > 0) return java.util.Optional.empty();
        if (member.endsWith("Arn")) return java.util.Optional.of(F.textNode(arns.get(random.nextInt(arns.size()))));
        if (member.endsWith("JobName")) return java.util.Optional.of(F.textNode(names.get(random.nextInt(names.size()))));
        return java.util.Optional.empty();
    }

    private JsonNode string(JsonNode shape) {
        if (shape.has("enum") && random.nextInt(5) > 0) {
            JsonNode values = shape.get("enum");
            return values.get(random.nextInt(values.size())).deepCopy();
        }
        int min = shape.path("min").asInt(0), max = shape.path("max").asInt(64);
        return F.textNode(switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "x".repeat(Math.min(max + 1, 5000));
            case 2 -> "x".repeat(Math.max(min, 1));
            case 3 -> "a\u0000b";
            case 4 -> "file:///tmp/a\u0000b";
            case 5 -> "file:///tmp/a%00b";
            case 6 -> "s3://bucket/a%00b/";
            case 7 -> "file:///etc/";
            case 8 -> "ünï\uD83D\uDE00 /..";
            case 9 -> names.get(random.nextInt(names.size()));
            case 10 -> "s3://bucket/prefix/";
            default -> "v" + random.nextInt(1000);
        });
    }

    private JsonNode integer(JsonNode shape) {
        long min = shape.path("min").asLong(Integer.MIN_VALUE), max = shape.path("max").asLong(Integer.MAX_VALUE);
        return F.numberNode(switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> min - 1;
            case 3 -> max + 1;
            case 4 -> 0L;
            case 5 -> Long.MAX_VALUE;
            default -> min + (long) (random.nextDouble() * Math.min(1000.0, (double) max - min));
        });
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private JsonNode pickNode(JsonNode... values) {
        return values[random.nextInt(values.length)];
    }

}
