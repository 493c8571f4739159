package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.model.Shape;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as the AWS CLI shows and accepts them. Responses carry epoch seconds; the AWS CLI v2
 * shows them as ISO 8601 in the local time zone ({@code cli_timestamp_format = iso8601}, its
 * default), v1 as they came over the wire ({@code wire}). Requests accept ISO 8601 or epoch seconds.
 */
public final class Timestamps {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public enum Format { ISO8601, WIRE }

    private Timestamps() {}

    /** The response with every timestamp member rendered in {@code format}. */
    public static JsonNode render(Shape shape, JsonNode node, Format format, ZoneId zone) {
        if (format == Format.WIRE || shape == null || node == null) return node;
        return switch (shape.kind()) {
            case STRUCTURE -> {
                if (!node.isObject()) yield node;
                ObjectNode out = NODES.objectNode();
                node.properties().forEach(e -> out.set(e.getKey(), shape.member(e.getKey())
                        .map(m -> render(m.shape(), e.getValue(), format, zone)).orElse(e.getValue())));
                yield out;
            }
            case LIST -> {
                if (!node.isArray()) yield node;
                ArrayNode out = NODES.arrayNode();
                node.forEach(el -> out.add(render(shape.element(), el, format, zone)));
                yield out;
            }
            case MAP -> {
                if (!node.isObject()) yield node;
                ObjectNode out = NODES.objectNode();
                node.properties().forEach(e -> out.set(e.getKey(), render(shape.value(), e.getValue(), format, zone)));
                yield out;
            }
            case TIMESTAMP -> node.isNumber() ? NODES.textNode(iso(node.doubleValue(), zone)) : node;
            default -> node;
        };
    }

    /** Python's {@code datetime.fromtimestamp(seconds, tz).isoformat()}. */
    public static String iso(double epochSeconds, ZoneId zone) {
        long seconds = (long) Math.floor(epochSeconds);
        long micros = Math.round((epochSeconds - seconds) * 1e6);
        if (micros >= 1_000_000) {
            seconds++;
            micros -= 1_000_000;
        }
        ZonedDateTime t = Instant.ofEpochSecond(seconds).atZone(zone);
        StringBuilder s = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
        if (micros != 0) s.append(String.format(".%06d", micros));
        int offset = t.getOffset().getTotalSeconds();
        s.append(offset < 0 ? '-' : '+').append(String.format("%02d:%02d", Math.abs(offset) / 3600, Math.abs(offset) / 60 % 60));
        return s.toString();
    }

    /** The request with every timestamp given as text turned into epoch seconds, as botocore sends it. */
    public static JsonNode toWire(Shape shape, JsonNode node) {
        if (shape == null || node == null) return node;
        switch (shape.kind()) {
            case STRUCTURE -> {
                if (node instanceof ObjectNode obj) {
                    for (Shape.Member m : shape.members()) {
                        if (obj.has(m.name())) obj.set(m.name(), toWire(m.shape(), obj.get(m.name())));
                    }
                }
                return node;
            }
            case LIST -> {
                if (node instanceof ArrayNode arr) {
                    for (int i = 0; i < arr.size(); i++) arr.set(i, toWire(shape.element(), arr.get(i)));
                }
                return node;
            }
            case TIMESTAMP -> {
                if (!node.isTextual()) return node;
                Double epoch = parse(node.textValue());
                return epoch == null ? node : NODES.numberNode(epoch);
            }
            default -> {
                return node;
            }
        }
    }

    /** Epoch seconds of an ISO 8601 date or date-time (UTC unless it names an offset), or of a number. */
    static Double parse(String text) {
        String t = text.trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException ignored) {
            // not epoch seconds
        }
        try {
            return seconds(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException ignored) {
            // no offset
        }
        try {
            return seconds(LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // no time
        }
        try {
            return seconds(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
