package dev.vernier.training.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SageMaker ManifestFile: a JSON array whose first element is {@code {"prefix": "s3://bucket/path/"}}
 * and whose other elements are keys relative to that prefix, in the order the channel lists them.
 */
public record Manifest(URI prefix, List<String> keys) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Manifest {
        keys = List.copyOf(keys);
    }

    public static Manifest read(Path file, URI from) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("manifest " + from + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).path("prefix").isTextual())
            throw new IOException("manifest " + from + " must be a JSON array that starts with {\"prefix\": \"s3://bucket/path/\"}");
        URI prefix;
        try {
            prefix = new URI(root.get(0).get("prefix").asText());
        } catch (URISyntaxException e) {
            throw new IOException("manifest " + from + ": the prefix is not a URI: " + e.getMessage(), e);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 1; i < root.size(); i++) {
            if (!root.get(i).isTextual() || root.get(i).asText().isEmpty())
                throw new IOException("manifest " + from + ": element " + (i + 1) + " must be a non-empty key relative to the prefix");
            keys.add(root.get(i).asText());
        }
        return new Manifest(prefix, keys);
    }

    /** The location of {@code key}: the prefix with the key appended. */
    public URI location(String key) throws IOException {
        return append(prefix, key);
    }

    /** {@code base} with {@code raw} (unescaped) appended to its path. */
    static URI append(URI base, String raw) throws IOException {
        try {
            String path = base.getPath() == null ? "" : base.getPath();
            return new URI(base.getScheme(), base.getAuthority(), path + raw, null, null);
        } catch (URISyntaxException e) {
            throw new IOException("not a location: " + base + raw, e);
        }
    }
}
