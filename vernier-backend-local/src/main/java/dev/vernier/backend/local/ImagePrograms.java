package dev.vernier.backend.local;

import dev.vernier.core.training.UnsupportedImageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resolves a TrainingImage to the local program that runs it. */
final class ImagePrograms {
    private final Map<String, String> mapped;

    ImagePrograms(Map<String, String> mapped) {
        this.mapped = mapped;
    }

    /**
     * The {@code images} setting, {@code name=/abs/program,other=/abs/two}, as a map.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Map<String, String> parse(String setting) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new IllegalArgumentException("images must be name=/path pairs separated by commas, got '" + pair + "'");
            String program = pair.substring(eq + 1).trim();
            if (!Path.of(program).isAbsolute())
                throw new IllegalArgumentException("images: the program for " + pair.substring(0, eq).trim()
                        + " must be an absolute path");
            out.put(pair.substring(0, eq).trim(), program);
        }
        return out;
    }

    /**
     * The executable for {@code trainingImage}: the path of a {@code file:///abs/path} image, or
     * the program the settings map the image name to (exact match).
     */
    Path resolve(String trainingImage) {
        String where;
        Path program;
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
            where = "";
        } else {
            String path = mapped.get(trainingImage);
            if (path == null)
                throw new UnsupportedImageException("TrainingImage '" + trainingImage + "' cannot run on this server's "
                        + "local backend: use file:///absolute/path/to/program, or map the image to a local program "
                        + "in the server settings" + (mapped.isEmpty() ? "" : " (mapped images: "
                        + String.join(", ", new java.util.TreeSet<>(mapped.keySet())) + ")"));
            program = Path.of(path);
            where = " (mapped from TrainingImage '" + trainingImage + "')";
        }
        if (!program.isAbsolute())
            throw new UnsupportedImageException("local program " + program + where + " must be an absolute path");
        if (!Files.isRegularFile(program))
            throw new UnsupportedImageException("local program " + program + where + " does not exist or is not a file");
        if (!Files.isExecutable(program))
            throw new UnsupportedImageException("local program " + program + where + " is not executable");
        return program;
    }
}
