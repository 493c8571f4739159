package dev.vernier.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/** The one JSON configuration of the server, and the wire form of timestamps. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Epoch seconds with millisecond fraction, written plainly (AWS JSON timestamps). */
    public static BigDecimal timestamp(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    /**
     * Reads an AWS JSON timestamp: epoch seconds (fractions allowed) or an ISO-8601 instant. A time beyond what
     * epoch milliseconds can hold (about 292 million years either way) is the nearest one they can: as a filter
     * ({@code CreationTimeAfter: 1e16}) it then means what it says, "later than every job".
     */
    public static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            BigDecimal millis = node.decimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.FLOOR);
            if (millis.compareTo(MAX_MILLIS) > 0) return LATEST;
            if (millis.compareTo(MIN_MILLIS) < 0) return EARLIEST;
            return Instant.ofEpochMilli(millis.longValueExact());
        }
        Instant parsed = Instant.parse(node.asText());
        return parsed.isAfter(LATEST) ? LATEST : parsed.isBefore(EARLIEST) ? EARLIEST : parsed;
    }

    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MIN_MILLIS = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);
}
