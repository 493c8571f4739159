package dev.vernier.backend.kubernetes;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/** This test JVM's class path, with a manifest-only jar (as Surefire starts tests) replaced by its Class-Path entries. */
final class TestClassPath {
    private TestClassPath() {}

    static String entries() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String manifestPath = manifestClassPath(entry);
            if (manifestPath == null) {
                entries.add(entry);
                continue;
            }
            for (String url : manifestPath.trim().split("\\s+"))
                entries.add(Path.of(URI.create(url.startsWith("file:") ? url : Path.of(entry).getParent().toUri() + url)).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String manifestClassPath(String entry) {
        if (!entry.endsWith(".jar")) return null;
        try (JarFile jar = new JarFile(entry)) {
            return jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
