package dev.vernier.core.objectstore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the objects of a prefix land below a channel directory, the same for every object store:
 * as the SageMaker Python SDK stages a prefix, and never outside the directory.
 */
public final class StagedPaths {
    private StagedPaths() {}

    /**
     * An object's path relative to the channel directory: its key with the prefix's directory removed
     * ({@code keyBelowDir}), or its file name when the prefix is the whole key. When the prefix stops in
     * the middle of a name ("data/train" matching "data/training.csv") the name is kept whole rather
     * than cut ("training.csv", not "ing.csv").
     *
     * @param namePrefix the prefix's part after its last '/'
     */
    public static String relativeToPrefix(String keyBelowDir, String namePrefix) {
        String rest = keyBelowDir.substring(namePrefix.length());
        if (rest.isEmpty()) return keyBelowDir.substring(keyBelowDir.lastIndexOf('/') + 1);
        if (namePrefix.isEmpty()) return rest;
        return rest.startsWith("/") ? rest.substring(1) : keyBelowDir;
    }

    /**
     * {@code dir/relative}, refused when it would not be strictly inside {@code dir} (zip-slip:
     * "../" or a leading "/" in keys and manifests).
     *
     * @param what what {@code relative} is, for the message ("object key", "manifest entry")
     */
    public static Path inside(Path dir, String relative, String what) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        boolean plain = !relative.isEmpty() && !relative.startsWith("/") && relative.indexOf('\0') < 0;
        Path target = plain ? base.resolve(relative).normalize() : base;
        if (!target.startsWith(base) || target.equals(base))
            throw new IOException(what + " '" + relative + "' would be staged outside the channel directory: refused");
        return target;
    }
}
