package dev.vernier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Turns an SDK model object back into wire-named JSON by walking its {@code sdkFields()}, so that
 * what the official client parsed can be compared member by member with what was sent.
 */
final class SdkJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SdkJson() {}

    static ObjectNode of(SdkPojo pojo) {
        ObjectNode out = F.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            JsonNode node = value(value);
            if (node != null) out.set(field.locationName(), node);
        }
        return out;
    }

    private static JsonNode value(Object value) {
        if (value == null) return null;
        if (value instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
                || value instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) return null;
        if (value instanceof SdkPojo p) return of(p);
        if (value instanceof List<?> list) {
            ArrayNode a = F.arrayNode();
            list.forEach(v -> a.add(value(v)));
            return a;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = F.objectNode();
            map.forEach((k, v) -> o.set(k.toString(), value(v)));
            return o;
        }
        if (value instanceof Instant t) return F.numberNode(BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3));
        if (value instanceof Boolean b) return F.booleanNode(b);
        if (value instanceof Integer i) return F.numberNode(i);
        if (value instanceof Long l) return F.numberNode(l);
        if (value instanceof Double d) return F.numberNode(BigDecimal.valueOf(d));
        if (value instanceof Float f) return F.numberNode(new BigDecimal(f.toString()));
        return F.textNode(value.toString());
    }
}
