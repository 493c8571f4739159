package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.model.Violations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code file://} locations of a CreateHyperParameterTuningJob request (training images, channel data,
 * output and checkpoint locations): each must be a usable absolute path, and, when the server has an allow-list of
 * roots, lie under one of them once {@code ..} and symbolic links are resolved. Without it a client could have the
 * server read or overwrite anything its user can.
 */
public final class FileLocations implements CreateRequestRules {
    private final Optional<List<Path>> roots;

    /** @param roots the allow-list; empty: any path */
    public FileLocations(Optional<List<Path>> roots) {
        this.roots = roots.map(List::copyOf);
    }

    @Override
    public void check(ObjectNode request) {
        Violations v = new Violations();
        if (request.has("TrainingJobDefinition")) definition("trainingJobDefinition", request.get("TrainingJobDefinition"), v);
        JsonNode plural = request.path("TrainingJobDefinitions");
        for (int i = 0; i < plural.size(); i++)
            definition("trainingJobDefinitions." + (i + 1) + ".member", plural.get(i), v);
        v.throwIfAny();
    }

    private void definition(String path, JsonNode d, Violations v) {
        location(path + ".algorithmSpecification.trainingImage", d.path("AlgorithmSpecification").get("TrainingImage"), v);
        JsonNode channels = d.path("InputDataConfig");
        for (int i = 0; i < channels.size(); i++) {
            location(path + ".inputDataConfig." + (i + 1) + ".member.dataSource.s3DataSource.s3Uri",
                    channels.get(i).path("DataSource").path("S3DataSource").get("S3Uri"), v);
        }
        location(path + ".outputDataConfig.s3OutputPath", d.path("OutputDataConfig").get("S3OutputPath"), v);
        location(path + ".checkpointConfig.s3Uri", d.path("CheckpointConfig").get("S3Uri"), v);
    }

    private void location(String path, JsonNode value, Violations v) {
        if (value == null || !value.isTextual() || !value.asText().regionMatches(true, 0, "file:", 0, 5)) return;
        Path file;
        try {
            URI uri = new URI(value.asText());
            if (uri.getPath() == null || !uri.getPath().startsWith("/") || (uri.getRawAuthority() != null)) {
                v.add(path, value, "A file:// location must be file:///absolute/path");
                return;
            }
            file = Path.of(uri.getPath()).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {   // IllegalArgumentException: a NUL, say
            v.add(path, value, "Not a usable file:// location: " + e.getMessage());
            return;
        }
        if (roots.isEmpty()) return;
        Path real = realPath(file);
        if (roots.get().stream().noneMatch(root -> real.startsWith(realPath(root)))) {
            v.add(path, value, "A file:// location must lie under one of the server's file roots ("
                    + roots.get().stream().map(Path::toString).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** The path with symbolic links resolved as far as it exists, so that a link cannot lead out of a root. */
    static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return path;
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }
}
