package dev.vernier.objectstore.s3;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where an object lands below a channel directory, as the SageMaker Python SDK stages a prefix
 * (and as the directory store does): its key with the prefix's directory removed, or its file name
 * when the prefix is the whole key; when the prefix ends inside a name ("data/train" matching
 * "data/training.csv") the name is kept whole. Nothing may land outside the directory.
 */
final class StagedPaths {
    private StagedPaths() {}

    static Path target(Path targetDir, S3Location prefix, String key) throws IOException {
        String keyBelowDir = key.substring(prefix.directory().length());
        String namePrefix = prefix.namePrefix();
        String rest = keyBelowDir.substring(namePrefix.length());
        String relative;
        if (rest.isEmpty()) relative = keyBelowDir.substring(keyBelowDir.lastIndexOf('/') + 1);
        else if (namePrefix.isEmpty()) relative = rest;
        else relative = rest.startsWith("/") ? rest.substring(1) : keyBelowDir;
        Path dir = targetDir.toAbsolutePath().normalize();
        Path target = dir.resolve(relative).normalize();
        if (relative.isEmpty() || relative.startsWith("/") || !target.startsWith(dir) || target.equals(dir))
            throw new IOException("object key '" + key + "' would be staged outside the target directory: refused");
        return target;
    }
}
