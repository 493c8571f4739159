package dev.vernier.backend.slurm;

import dev.vernier.core.training.UnsupportedImageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Resolves a TrainingImage to the program a node runs: {@code file:///abs/program}, or a name the
 * {@code slurm-images} setting maps to one. The program must be at that path on every node (a
 * shared file system); the server checks it on its own view of that file system.
 */
final class ImagePrograms {
    private final Map<String, String> mapped;

    ImagePrograms(Map<String, String> mapped) {
        this.mapped = mapped;
    }

    /** The {@code slurm-images} setting, {@code name=/abs/program,other=/abs/two}, as a map. */
    static Map<String, String> parse(String setting) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new IllegalArgumentException("slurm-images must be name=/path pairs separated by commas, got '"
                        + pair.strip() + "'");
            String program = pair.substring(eq + 1).strip();
            if (!Path.of(program).isAbsolute())
                throw new IllegalArgumentException("slurm-images: the program for " + pair.substring(0, eq).strip()
                        + " must be an absolute path");
            out.put(pair.substring(0, eq).strip(), program);
        }
        return out;
    }

    Path resolve(String trainingImage) {
        Path program;
        String where = "";
        if (trainingImage.startsWith("file:")) {
            URI uri;
            try {
                uri = URI.create(trainingImage);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedImageException("TrainingImage '" + trainingImage + "' is not a valid file URI");
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/")
                    || (uri.getAuthority() != null && !uri.getAuthority().isEmpty()))
                throw new UnsupportedImageException("TrainingImage '" + trainingImage
                        + "' must be file:///absolute/path/to/program");
            program = Path.of(uri.getPath());
        } else {
            String path = mapped.get(trainingImage);
            if (path == null)
                throw new UnsupportedImageException("TrainingImage '" + trainingImage + "' cannot run on this server's "
                        + "Slurm backend: use file:///absolute/path/to/program on the shared file system, or map the "
                        + "image to a program in the setting slurm-images" + (mapped.isEmpty() ? ""
                        : " (mapped images: " + String.join(", ", new TreeSet<>(mapped.keySet())) + ")"));
            program = Path.of(path);
            where = " (mapped from TrainingImage '" + trainingImage + "')";
        }
        if (!Files.isRegularFile(program))
            throw new UnsupportedImageException("program " + program + where + " does not exist or is not a file");
        if (!Files.isExecutable(program))
            throw new UnsupportedImageException("program " + program + where + " is not executable");
        return program;
    }
}
