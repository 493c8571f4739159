package dev.vernier.objectstore.s3;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.testkit.objectstore.ObjectStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.s3.S3Client;

/** The object store contract for the S3 store against the directory store served over S3 (the zero-setup default). */
class S3ProtocolServerContractTest extends ObjectStoreContract {
    private S3ProtocolServer server;
    private S3ObjectStore opened;

    @Override
    protected ObjectStore openStore() throws IOException {
        server = S3ProtocolServer.start(tmp.resolve("served"), "127.0.0.1", 0, "served-key", "served-secret");
        S3Settings settings = S3Settings.of(server.endpoint(), "us-east-1", "served-key", "served-secret");
        try (S3Client client = S3ObjectStore.client(settings)) {
            client.createBucket(b -> b.bucket(BUCKET));
            client.createBucket(b -> b.bucket(OTHER_BUCKET));
        }
        opened = S3ObjectStore.open(settings);
        return opened;
    }

    @Override
    protected boolean servesFileLocations() {
        return false;
    }

    @AfterEach
    void stop() {
        opened.close();
        server.close();
    }
}
