package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated Create bodies against a real server: every answer is a 200 or a 4xx AWS
 * error, never a 5xx, and exactly the accepted requests left a tuning job behind.
 */
class FuzzTest {
    static final int REQUESTS = 3000;
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    @Test
    void mutatedCreateRequestsGetA200OrA4xxAndOnlyAcceptedOnesCreateJobs() throws Exception {
        List<ObjectNode> seeds = List.of(RoundTripTest.read("create-minimal.json"), RoundTripTest.read("create-maximal.json"),
                RoundTripTest.read("create-plural-definitions.json"), RoundTripTest.read("create-hyperband.json"));
        Random random = new Random(20261127);
        Set<String> accepted = new HashSet<>();
        int rejected = 0;
        try (TestServer server = TestServer.start(dir)) {
            RawClient raw = new RawClient(server.endpoint());
            for (int i = 0; i < REQUESTS; i++) {
                ObjectNode request = seeds.get(random.nextInt(seeds.size())).deepCopy();
                request.remove("WarmStartConfig");
                request.put("HyperParameterTuningJobName", "fz-" + i);
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) mutate(request, random);
                byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
                if (random.nextInt(10) == 0) body = corrupt(body, random);
                RawClient.Response r = raw.send("SageMaker.CreateHyperParameterTuningJob", body, true);
                assertThat(r.status()).as("request %d: %s -> %s", i, new String(body, StandardCharsets.UTF_8), r.body())
                        .isIn(200, 400, 413);
                if (r.status() == 200) {
                    accepted.add(request.path("HyperParameterTuningJobName").asText().toLowerCase());
                } else {
                    rejected++;
                    JsonNode error = Json.parseObject(r.body());
                    assertThat(error.path("__type").asText()).isIn("ValidationException", "SerializationException",
                            "ResourceInUse", "RequestEntityTooLargeException");
                    assertThat(error.path("message").asText()).isNotBlank();
                }
            }
            Set<String> stored = new HashSet<>();
            server.client().listHyperParameterTuningJobsPaginator(r -> r.maxResults(100)).hyperParameterTuningJobSummaries()
                    .forEach(s -> stored.add(s.hyperParameterTuningJobName().toLowerCase()));
            assertThat(stored).isEqualTo(accepted);
        }
        assertThat(rejected).as("the mutations must mostly produce invalid requests").isGreaterThan(REQUESTS / 2);
        assertThat(accepted).as("and some valid ones").isNotEmpty();
    }

    static void mutate(ObjectNode root, Random random) {
        List<ContainerNode<?>> parents = new ArrayList<>();
        collect(root, parents);
        ContainerNode<?> parent = parents.get(random.nextInt(parents.size()));
        if (parent instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) o.remove(name);
            else o.set(name, randomValue(random, o.get(name)));
        } else if (parent instanceof ArrayNode a) {
            switch (random.nextInt(3)) {
                case 0 -> { if (a.size() > 0) a.remove(random.nextInt(a.size())); }
                case 1 -> { if (a.size() > 0) a.add(a.get(random.nextInt(a.size())).deepCopy()); }
                default -> a.add(randomValue(random, null));
            }
        }
    }

    static void collect(JsonNode node, List<ContainerNode<?>> out) {
        if (node instanceof ContainerNode<?> c) {
            out.add(c);
            node.forEach(child -> collect(child, out));
        }
    }

    static JsonNode randomValue(Random random, JsonNode old) {
        return switch (random.nextInt(14)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(random.nextInt(200) - 100);
            case 2 -> F.numberNode(Long.MAX_VALUE);
            case 3 -> F.numberNode(random.nextDouble() * 1e6);
            case 4 -> F.textNode("");
            case 5 -> F.textNode("x".repeat(random.nextInt(3000)));
            case 6 -> F.textNode("ünï\u0000cödé\uD83D\uDE00");
            case 7 -> F.booleanNode(random.nextBoolean());
            case 8 -> F.objectNode().put("Unknown", 1);
            case 9 -> F.arrayNode().add(1).add("two");
            case 10 -> F.textNode(Integer.toString(random.nextInt(1000) - 500));
            case 11 -> F.textNode(random.nextBoolean() ? "NaN" : "1e309");
            case 12 -> old == null ? F.textNode("Auto") : F.textNode(old.asText().toUpperCase());
            default -> old == null ? F.textNode("Linear") : F.textNode(old.asText() + "-");
        };
    }

    static byte[] corrupt(byte[] body, Random random) {
        byte[] copy = body.clone();
        switch (random.nextInt(3)) {
            case 0 -> { return java.util.Arrays.copyOf(copy, random.nextInt(copy.length)); }
            case 1 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            default -> copy[random.nextInt(copy.length)] = (byte) '"';
        }
        return copy;
    }
}
