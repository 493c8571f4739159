package dev.vernier.training.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.objectstore.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SageMaker AugmentedManifestFile (JSON Lines): per line, the values of the channel's
 * AttributeNames in their order. A value whose attribute name ends in {@code -ref} is the location
 * of an object, whose bytes are sent; any other value is sent as its text (a JSON string's
 * characters, else the JSON).
 */
public final class AugmentedManifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AugmentedManifest() {}

    /** The units of a Pipe channel: one per line, each the line's attributes; referenced objects are copied below {@code refs}. */
    public static List<List<PipeFeeder.Item>> units(Path manifest, URI from, List<String> attributeNames, ObjectStore store,
                                                   Path refs) throws IOException {
        List<List<PipeFeeder.Item>> units = new ArrayList<>();
        int lineNumber = 0;
        int copied = 0;
        try (BufferedReader lines = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank()) continue;
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException("augmented manifest " + from + " line " + lineNumber + " is not JSON", e);
                }
                List<PipeFeeder.Item> unit = new ArrayList<>();
                for (String attribute : attributeNames) {
                    JsonNode value = record == null ? null : record.get(attribute);
                    if (value == null)
                        throw new IOException("augmented manifest " + from + " line " + lineNumber + " has no attribute '" + attribute + "'");
                    if (attribute.endsWith("-ref")) {
                        Path file = refs.resolve(Integer.toString(copied++));
                        store.copyObjectTo(location(value.asText(), from, lineNumber), file);
                        unit.add(PipeFeeder.Item.of(file));
                    } else {
                        String text = value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
                        unit.add(PipeFeeder.Item.of(text.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                units.add(unit);
            }
        }
        return units;
    }

    private static URI location(String value, URI from, int line) throws IOException {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IOException("augmented manifest " + from + " line " + line + ": '" + value + "' is not a location", e);
        }
    }
}
