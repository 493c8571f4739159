package dev.vernier.objectstore.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The directory store over the S3 protocol: what S3 clients put is what the directory store stages, and back. */
class S3ProtocolServerTest {
    @TempDir Path tmp;
    private Path root;
    private S3ProtocolServer server;
    private S3Client client;

    @BeforeEach
    void start() throws IOException {
        root = tmp.resolve("s3");
        server = S3ProtocolServer.start(root, "127.0.0.1", 0, "server-key", "server-secret");
        client = S3ObjectStore.client(S3Settings.of(server.endpoint(), "us-east-1", "server-key", "server-secret"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void anObjectPutOverS3IsAFileOfTheDirectoryStore() throws IOException {
        client.createBucket(b -> b.bucket("datasets"));
        client.putObject(p -> p.bucket("datasets").key("train/part 1.csv"), RequestBody.fromString("a,b\n1,2\n"));

        assertThat(root.resolve("datasets/train/part 1.csv")).hasContent("a,b\n1,2\n");
        DirectoryObjectStore directory = new DirectoryObjectStore(root);
        assertThat(directory.copyPrefixTo(URI.create("s3://datasets/train/"), tmp.resolve("channel"))).isEqualTo(1);
        assertThat(tmp.resolve("channel/part 1.csv")).hasContent("a,b\n1,2\n");
    }

    @Test
    void anObjectTheDirectoryStoreWroteIsServedOverS3() throws IOException {
        new DirectoryObjectStore(root).write(URI.create("s3://models/job-1/output/model.tar.gz"),
                out -> out.write("model bytes".getBytes(UTF_8)));

        assertThat(client.getObjectAsBytes(g -> g.bucket("models").key("job-1/output/model.tar.gz")).asUtf8String())
                .isEqualTo("model bytes");
        // jclouds' filesystem blob store lists each directory as a folder marker ("job-1/output/"), as
        // the S3 console's folders are; the S3 store skips such keys when it stages
        assertThat(client.listObjectsV2(l -> l.bucket("models").prefix("job-1/")).contents())
                .extracting(o -> o.key()).filteredOn(k -> !k.endsWith("/")).containsExactly("job-1/output/model.tar.gz");
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() {
        try (S3Client stranger = S3ObjectStore.client(S3Settings.of(server.endpoint(), "us-east-1", "server-key", "wrong"))) {
            assertThatThrownBy(() -> stranger.listBuckets()).isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
        assertThat(Files.exists(root)).isTrue();
    }

    @Test
    void aPortInUseIsAnIoError() {
        assertThatThrownBy(() -> S3ProtocolServer.start(tmp.resolve("other"), "127.0.0.1", server.port(), "k", "s"))
                .isInstanceOf(IOException.class);
    }
}
