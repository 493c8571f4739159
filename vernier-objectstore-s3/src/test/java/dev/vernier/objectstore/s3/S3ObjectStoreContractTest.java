package dev.vernier.objectstore.s3;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.testkit.objectstore.ObjectStoreContract;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The object store contract against a real S3-protocol server: S3Proxy in-process, over a filesystem blob store. */
class S3ObjectStoreContractTest extends ObjectStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "contract-access", "contract-secret")
            .ignoreUnknownHeaders().build();

    private S3ObjectStore opened;

    @Override
    protected ObjectStore openStore() {
        S3Settings settings = S3Settings.of(S3.getUri(), "us-east-1", S3.getAccessKey(), S3.getSecretKey());
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
    void closeTheStore() {
        opened.close();
    }
}
