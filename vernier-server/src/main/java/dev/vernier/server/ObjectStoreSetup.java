package dev.vernier.server;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3ProtocolServer;
import dev.vernier.objectstore.s3.S3Settings;
import dev.vernier.protocol.auth.AccessKey;
import dev.vernier.server.config.Settings;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The object store the settings name, and what it holds open: {@code s3://} on an S3-compatible
 * endpoint (with {@code file://} still the local file system), or the directory store, served over
 * the S3 protocol on its own port unless that is turned off.
 */
final class ObjectStoreSetup implements AutoCloseable {
    private final ObjectStore store;
    private final Optional<S3ObjectStore> s3;
    private final Optional<S3ProtocolServer> served;

    private ObjectStoreSetup(ObjectStore store, Optional<S3ObjectStore> s3, Optional<S3ProtocolServer> served) {
        this.store = store;
        this.s3 = s3;
        this.served = served;
    }

    static ObjectStoreSetup open(Settings settings, Optional<AccessKey> s3Key) {
        Settings.ObjectStorage o = settings.objectStorage();
        Path dir = settings.training().objectStoreDir();
        DirectoryObjectStore directory = new DirectoryObjectStore(dir);
        if (o.endpoint().isPresent()) {
            S3ObjectStore s3 = S3ObjectStore.open(new S3Settings(o.endpoint(), o.region(), o.pathStyle(), o.accessKeyId(),
                    o.secretAccessKey(), S3Settings.DEFAULT_PART_SIZE, S3Settings.DEFAULT_CONCURRENCY));
            return new ObjectStoreSetup(new BySchemeObjectStore(s3, directory), Optional.of(s3), Optional.empty());
        }
        if (o.servePort().isEmpty() || s3Key.isEmpty()) return new ObjectStoreSetup(directory, Optional.empty(), Optional.empty());
        try {
            return new ObjectStoreSetup(directory, Optional.empty(), Optional.of(S3ProtocolServer.start(dir,
                    settings.bindAddress(), o.servePort().getAsInt(), s3Key.get().id(), s3Key.get().secret())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the object store over S3 (s3-port " + o.servePort().getAsInt()
                    + "; 'off' turns it off): " + e.getMessage(), e);
        }
    }

    ObjectStore store() {
        return store;
    }

    Optional<URI> servedAt() {
        return served.map(S3ProtocolServer::endpoint);
    }

    @Override
    public void close() {
        served.ifPresent(S3ProtocolServer::close);
        s3.ifPresent(S3ObjectStore::close);
    }
}
