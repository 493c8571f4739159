package dev.vernier.training.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryObjectStoreTest {
    @TempDir Path tmp;

    @Test
    void s3_locations_map_to_one_folder_per_bucket_and_file_uris_to_their_path() {
        var store = new DirectoryObjectStore(tmp);
        assertThat(store.resolve(URI.create("s3://bucket/a/b.csv"))).isEqualTo(tmp.resolve("bucket/a/b.csv"));
        assertThat(store.resolve(URI.create("file:///data/x"))).isEqualTo(Path.of("/data/x"));
        assertThat(store.handles(URI.create("s3://bucket/prefix/"))).isTrue();
        assertThat(store.handles(URI.create("https://example.com/x"))).isFalse();
        assertThat(store.handles(URI.create("file://host/x"))).isFalse();
        assertThat(store.handles(URI.create("s3://bucket/../other/x"))).isFalse();
        assertThat(store.handles(URI.create("s3://bucket/a/../../other/x"))).isFalse();
    }

    @Test
    void put_replaces_an_object_and_copy_prefix_stages_every_object_under_the_prefix() throws Exception {
        var store = new DirectoryObjectStore(tmp.resolve("root"));
        Path file = Files.writeString(tmp.resolve("f"), "v1");
        put(store, file, "s3://b/data/train/one.txt");
        put(store, Files.writeString(file, "v2"), "s3://b/data/train/one.txt");
        put(store, file, "s3://b/data/train/sub/two.txt");
        put(store, file, "s3://b/data/training.txt");

        Path target = tmp.resolve("staged");
        assertThat(store.copyPrefixTo(URI.create("s3://b/data/train"), target)).isEqualTo(3);
        assertThat(Files.readString(target.resolve("one.txt"))).isEqualTo("v2");
        assertThat(target.resolve("sub/two.txt")).isRegularFile();
        assertThat(target.resolve("training.txt")).isRegularFile();
        assertThat(store.copyPrefixTo(URI.create("s3://b/data/train/one.txt"), tmp.resolve("single"))).isEqualTo(1);
        assertThat(tmp.resolve("single/one.txt")).hasContent("v2");
        assertThat(store.copyPrefixTo(URI.create("s3://b/nothing/"), tmp.resolve("none"))).isZero();
        assertThatThrownBy(() -> put(store, file, "s3://b/dir/")).isInstanceOf(IllegalArgumentException.class);
        try (var files = Files.list(tmp.resolve("root/b/data/train"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("one.txt", "sub");
        }
    }

    @Test
    void a_write_that_fails_midway_keeps_the_previous_object_and_leaves_no_partial_file() throws Exception {
        var store = new DirectoryObjectStore(tmp.resolve("root"));
        URI location = URI.create("s3://b/out/job/output/model.tar.gz");
        store.write(location, out -> out.write("whole".getBytes()));

        assertThatThrownBy(() -> store.write(location, out -> {
            out.write("half".getBytes());
            throw new java.io.IOException("disk full");
        })).hasMessage("disk full");

        Path target = store.resolve(location);
        assertThat(Files.readString(target)).isEqualTo("whole");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("model.tar.gz");
        }
    }

    private static void put(DirectoryObjectStore store, Path file, String location) throws java.io.IOException {
        store.write(URI.create(location), out -> Files.copy(file, out));
    }
}
