package dev.vernier.server.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vernier.server.json.Json;
import dev.vernier.server.store.Tag;
import java.util.ArrayList;
import java.util.List;

/** Conversion of the API's {@code Tags} lists. */
final class Tags {
    private Tags() {}

    static List<Tag> from(JsonNode tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach(t -> out.add(new Tag(t.path("Key").asText(), t.path("Value").asText(""))));
        return out;
    }

    static ArrayNode toJson(List<Tag> tags) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        tags.forEach(t -> array.addObject().put("Key", t.key()).put("Value", t.value()));
        return array;
    }
}
