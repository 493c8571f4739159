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
        assertThat(client.listObjectsV2(l -> l.bucket("models").prefix("job-1/")).contents())
                .extracting(o -> o.key()).containsExactly("job-1/output/model.tar.gz");
    }

    @Test
    void directoriesAreNoObjectsButCommonPrefixes() throws IOException {
        DirectoryObjectStore directory = new DirectoryObjectStore(root);
        for (String key : new String[] {"train/a.csv", "train/deep/b.csv", "train/deep/er/c.csv", "train/empty/.keep"})
            directory.write(URI.create("s3://datasets/" + key), out -> out.write(key.getBytes(UTF_8)));
        Files.delete(root.resolve("datasets/train/empty/.keep"));   // an empty directory holds no object either

        assertThat(client.listObjectsV2(l -> l.bucket("datasets")).contents()).extracting(o -> o.key())
                .containsExactly("train/a.csv", "train/deep/b.csv", "train/deep/er/c.csv");
        assertThat(client.listObjects(l -> l.bucket("datasets").prefix("train/")).contents()).extracting(o -> o.key())
                .containsExactly("train/a.csv", "train/deep/b.csv", "train/deep/er/c.csv");
        var byDirectory = client.listObjectsV2(l -> l.bucket("datasets").prefix("train/").delimiter("/"));
        assertThat(byDirectory.contents()).extracting(o -> o.key()).containsExactly("train/a.csv");
        assertThat(byDirectory.commonPrefixes()).extracting(p -> p.prefix()).contains("train/deep/");
    }

    @Test
    void pagesOfARecursiveListingMissNoObject() throws IOException {
        DirectoryObjectStore directory = new DirectoryObjectStore(root);
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (int d = 0; d < 7; d++)
            for (int f = 0; f < 3; f++) keys.add("p/d" + d + "/f" + f);
        for (String key : keys) directory.write(URI.create("s3://pages/" + key), out -> out.write(1));

        java.util.List<String> listed = new java.util.ArrayList<>();
        client.listObjectsV2Paginator(l -> l.bucket("pages").maxKeys(2)).contents().forEach(o -> listed.add(o.key()));
        assertThat(listed).containsExactlyElementsOf(keys);
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
