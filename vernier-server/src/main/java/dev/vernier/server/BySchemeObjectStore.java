package dev.vernier.server;

import dev.vernier.core.objectstore.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** {@code s3://} locations to one store, everything else ({@code file://}) to another. */
final class BySchemeObjectStore implements ObjectStore {
    private final ObjectStore s3;
    private final ObjectStore files;

    BySchemeObjectStore(ObjectStore s3, ObjectStore files) {
        this.s3 = s3;
        this.files = files;
    }

    private ObjectStore of(URI location) {
        return "s3".equals(location.getScheme()) ? s3 : files;
    }

    @Override
    public boolean handles(URI location) {
        return of(location).handles(location);
    }

    @Override
    public int copyPrefixTo(URI prefix, Path targetDir) throws IOException {
        return of(prefix).copyPrefixTo(prefix, targetDir);
    }

    @Override
    public void copyObjectTo(URI location, Path target) throws IOException {
        of(location).copyObjectTo(location, target);
    }

    @Override
    public void write(URI location, Content content) throws IOException {
        of(location).write(location, content);
    }
}
