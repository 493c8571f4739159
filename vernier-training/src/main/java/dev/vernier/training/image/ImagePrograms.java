package dev.vernier.training.image;

import dev.vernier.core.training.UnsupportedImageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Resolves a TrainingImage to the program that stands for it: {@code file:///abs/program}, or a name
 * that a backend's setting maps to a program ({@code name=/abs/program,other=/abs/two}). Each backend
 * says where its programs run in its refusals (the local machine, a shared file system).
 */
public final class ImagePrograms {
    private final Map<String, String> mapped;
    private final String unmappedHint;
    private final String programNoun;

    /**
     * @param unmappedHint what follows "cannot run on this server's " for an image no setting maps,
     *                     e.g. "local backend: use file:///absolute/path/to/program, or map ..."
     * @param programNoun  how refusals name the program: "local program", "program"
     */
    public ImagePrograms(Map<String, String> mapped, String unmappedHint, String programNoun) {
        this.mapped = Map.copyOf(mapped);
        this.unmappedHint = unmappedHint;
        this.programNoun = programNoun;
    }

    /**
     * The setting {@code settingName}'s value, {@code name=/abs/program,other=/abs/two}, as a map.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Map<String, String> parse(String settingName, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new IllegalArgumentException(settingName + " must be name=/path pairs separated by commas, got '"
                        + pair.strip() + "'");
            String program = pair.substring(eq + 1).strip();
            if (!Path.of(program).isAbsolute())
                throw new IllegalArgumentException(settingName + ": the program for " + pair.substring(0, eq).strip()
                        + " must be an absolute path");
            out.put(pair.substring(0, eq).strip(), program);
        }
        return out;
    }

    /** The executable for {@code trainingImage}: a {@code file:///abs/path} image's path, or the program its name is mapped to. */
    public Path resolve(String trainingImage) {
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
                        + unmappedHint + (mapped.isEmpty() ? "" : " (mapped images: "
                        + String.join(", ", new TreeSet<>(mapped.keySet())) + ")"));
            program = Path.of(path);
            where = " (mapped from TrainingImage '" + trainingImage + "')";
        }
        if (!program.isAbsolute())
            throw new UnsupportedImageException(programNoun + " " + program + where + " must be an absolute path");
        if (!Files.isRegularFile(program))
            throw new UnsupportedImageException(programNoun + " " + program + where + " does not exist or is not a file");
        if (!Files.isExecutable(program))
            throw new UnsupportedImageException(programNoun + " " + program + where + " is not executable");
        return program;
    }
}
