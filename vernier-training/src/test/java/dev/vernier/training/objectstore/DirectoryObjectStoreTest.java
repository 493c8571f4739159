package dev.vernier.training.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.testkit.objectstore.ObjectStoreContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The object-store contract, and what is particular to keeping objects as files. */
class DirectoryObjectStoreTest extends ObjectStoreContract {
    private DirectoryObjectStore directory;

    @Override
    protected ObjectStore openStore() {
        directory = new DirectoryObjectStore(tmp.resolve("root"));
        return directory;
    }

    @Test
    void s3LocationsMapToOneFolderPerBucketAndFileUrisToTheirPath() {
        assertThat(directory.resolve(URI.create("s3://bucket/a/b.csv"))).isEqualTo(tmp.resolve("root/bucket/a/b.csv"));
        assertThat(directory.resolve(URI.create("s3://bucket/my%20data/b.csv"))).isEqualTo(tmp.resolve("root/bucket/my data/b.csv"));
        assertThat(directory.resolve(URI.create("file:///data/x"))).isEqualTo(Path.of("/data/x"));
    }

    @Test
    void keysAndBucketsThatWouldLeaveTheirBucketAreRefused() {
        for (String location : new String[] {"s3://bucket/../other/x", "s3://bucket/a/../../other/x", "s3://bucket/..",
                "s3://bucket/%2E%2E/x", "s3://../x", "s3://.hidden/x", "s3://bucket//etc/passwd"}) {
            assertThat(store.handles(URI.create(location))).as(location).isFalse();
            assertThatThrownBy(() -> store.write(URI.create(location), out -> out.write(1))).as(location)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tmp.resolve("root")).doesNotExist();
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() throws IOException {
        URI location = URI.create("s3://b/out/job/output/model.tar.gz");
        store.write(location, out -> out.write("whole".getBytes()));

        assertThatThrownBy(() -> store.write(location, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");

        try (var files = Files.list(directory.resolve(location).getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("model.tar.gz");
        }
    }

    @Test
    void thePartialFileOfAWriteCutShortIsNoObject() throws IOException {
        URI location = URI.create("s3://b/data/one.csv");
        store.write(location, out -> out.write("1".getBytes()));
        Files.writeString(directory.resolve(location).resolveSibling(".vernier-partial-left-by-a-crash"), "half");

        assertThat(store.copyPrefixTo(URI.create("s3://b/data/"), tmp.resolve("staged"))).isEqualTo(1);
        assertThat(files(tmp.resolve("staged"))).containsOnlyKeys("one.csv");
    }
}
