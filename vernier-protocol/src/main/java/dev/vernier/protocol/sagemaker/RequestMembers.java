package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import java.time.Instant;
import java.util.Optional;

/** Optional members of a validated request, read the same way by every operation. */
final class RequestMembers {
    private RequestMembers() {}

    static Optional<String> text(ObjectNode request, String member) {
        JsonNode node = request.get(member);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    static Optional<Instant> time(ObjectNode request, String member) {
        JsonNode node = request.get(member);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(Json.instant(node));
    }
}
