package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.model.ApiModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static dev.vernier.protocol.sagemaker.RequestEdits.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Thousands of seeded random edits of valid requests: each is accepted or refused with an AWS error, never a crash. */
class MutatedRequestTest {
    static final List<JsonNode> VALUES = List.of(json("null"), json("''"), json("'x'"), json("-1"), json("0"),
            json("1.5"), json("1e400"), json("3000000000"), json("true"), json("[]"), json("{}"), json("[null]"),
            json("{'Name': 'learning_rate'}"), json("'OFF'"), json("'Grid'"), json("'Hyperband'"), json("'(x'"),
            json("'" + "a".repeat(3000) + "'"), json("'s3://b/k'"), json("'2024-01-01T00:00:00Z'"));

    @Test
    void mutatedCreateRequestsAreAnsweredWithApiErrorsOnly() {
        Random random = new Random(20261127);
        String[] files = {"create-minimal.json", "create-maximal.json", "create-plural-definitions.json",
                "create-hyperband.json"};
        List<ObjectNode> bases = java.util.Arrays.stream(files).map(RequestEdits::load).toList();
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            ObjectNode request = bases.get(random.nextInt(bases.size())).deepCopy();
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) mutate(request, random);
            try {
                ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob", request);
                TuningJobRequestRules.check(canonical, TuningJobRequestRules.Checks.NONE);
                accepted++;
            } catch (ApiException e) {
                assertThat(e.code().httpStatus()).isEqualTo(400);
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                fail("crashed on " + request, e);
            }
        }
        assertThat(accepted).as("some mutations are harmless").isPositive();
    }

    /** Replaces, removes or adds one member or element somewhere in the tree. */
    private static void mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        JsonNode value = VALUES.get(random.nextInt(VALUES.size())).deepCopy();
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty() || random.nextInt(5) == 0) o.set("Extra" + random.nextInt(3), value);
            else if (random.nextInt(4) == 0) o.remove(names.get(random.nextInt(names.size())));
            else o.set(names.get(random.nextInt(names.size())), value);
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || random.nextBoolean()) a.add(value);
            else a.set(random.nextInt(a.size()), value);
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (!node.isContainerNode()) return;
        out.add(node);
        node.forEach(child -> collect(child, out));
    }
}
