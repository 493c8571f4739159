package dev.vernier.objectstore.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the S3 store does beyond the contract: multipart uploads, and keys planted by other S3 clients.
 * S3Proxy keeps objects in memory here ("transient"), which stores any key literally as S3 does.
 */
class S3ObjectStoreTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withBlobStoreProvider("transient")
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").ignoreUnknownHeaders().build();

    @TempDir Path tmp;
    private S3Client client;
    private S3ObjectStore store;

    @BeforeEach
    void open() {
        S3Settings settings = new S3Settings(Optional.of(S3.getUri()), "us-east-1", true, Optional.of(S3.getAccessKey()),
                Optional.of(S3.getSecretKey()), S3Settings.MIN_PART_SIZE, 4);
        client = S3ObjectStore.client(settings);
        client.createBucket(b -> b.bucket("data"));
        store = S3ObjectStore.open(settings);
    }

    @AfterEach
    void close() {
        store.close();
        client.close();
    }

    @Test
    void anObjectLargerThanAPartIsUploadedInPartsAndReadsBackWhole() throws IOException {
        byte[] bytes = new byte[S3Settings.MIN_PART_SIZE * 2 + 12345];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31 + i / 7);

        store.write(URI.create("s3://data/big/blob.bin"), out -> {
            for (int off = 0; off < bytes.length; off += 100_000) out.write(bytes, off, Math.min(100_000, bytes.length - off));
        });

        assertThat(client.headObject(h -> h.bucket("data").key("big/blob.bin")).eTag())
                .as("a multipart object's ETag ends in -<parts>").endsWith("-3\"");
        assertThat(store.copyPrefixTo(URI.create("s3://data/big/"), tmp.resolve("staged"))).isEqualTo(1);
        assertThat(Arrays.equals(Files.readAllBytes(tmp.resolve("staged/blob.bin")), bytes)).isTrue();
        try (var in = store.open(URI.create("s3://data/big/blob.bin"))) {
            assertThat(Arrays.equals(in.readAllBytes(), bytes)).isTrue();
        }
    }

    @Test
    void aFailedLargeWriteLeavesNoObjectAndNoUnfinishedUpload() {
        assertThatThrownBy(() -> store.write(URI.create("s3://data/out/model.tar.gz"), out -> {
            out.write(new byte[S3Settings.MIN_PART_SIZE + 1]);   // one part sent
            throw new IOException("packing failed");
        })).isInstanceOf(IOException.class).hasMessage("packing failed");

        assertThat(client.listObjectsV2(l -> l.bucket("data")).contents()).isEmpty();
        assertThat(client.listMultipartUploads(l -> l.bucket("data")).uploads()).isEmpty();
    }

    @Test
    void keysThatWouldLandOutsideTheChannelDirectoryAreRefused() throws IOException {
        client.putObject(p -> p.bucket("data").key("train/ok.csv"), RequestBody.fromString("ok"));
        client.putObject(p -> p.bucket("data").key("train/../../escaped.txt"), RequestBody.fromString("escaped"));
        Path target = Files.createDirectories(tmp.resolve("a/b/channel"));

        assertThatThrownBy(() -> store.copyPrefixTo(URI.create("s3://data/train/"), target))
                .isInstanceOf(IOException.class).hasMessageContaining("../../escaped.txt").hasMessageContaining("refused");
        assertThat(tmp.resolve("a/escaped.txt")).doesNotExist();
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void locationsWithDotSegmentsAreNoObjects() {
        for (String location : new String[] {"s3://data/a/../b", "s3://data/./b", "s3://data/a/%2E%2E/b"}) {
            assertThatThrownBy(() -> store.write(URI.create(location), out -> out.write(1))).as(location)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(client.listObjectsV2(l -> l.bucket("data")).contents()).isEmpty();
    }

    @Test
    void aMissingBucketIsAnIoErrorThatNamesTheLocation() {
        assertThatThrownBy(() -> store.copyPrefixTo(URI.create("s3://no-such-bucket/x"), tmp.resolve("c")))
                .isInstanceOf(IOException.class).hasMessageContaining("s3://no-such-bucket/x");
        assertThatThrownBy(() -> store.write(URI.create("s3://no-such-bucket/x"), out -> out.write("x".getBytes(UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("s3://no-such-bucket/x");
    }
}
