package dev.vernier.backend.kubernetes.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage init container of each host: whole channels, and its own shard of a ShardedByS3Key channel. */
class PodTasksStagingTest {
    @TempDir Path tmp;

    @Test
    void each_host_stages_whole_channels_and_its_own_shard_of_a_sharded_one() throws IOException {
        DirectoryObjectStore store = new DirectoryObjectStore(tmp.resolve("objects"));
        for (String key : List.of("a.csv", "b.csv", "c.csv", "d/e.csv", "f.csv"))
            write(tmp.resolve("objects/data/train/" + key), key);
        write(tmp.resolve("objects/data/val/v.csv"), "v");

        JobDirectory host1 = new JobDirectory(tmp.resolve("algo-1"));
        JobDirectory host2 = new JobDirectory(tmp.resolve("algo-2"));
        PodTasks.stageInput(List.of("--host", "algo-1/2", "sharded:train=s3://data/train/", "val=s3://data/val/"), store, host1);
        PodTasks.stageInput(List.of("--host", "algo-2/2", "sharded:train=s3://data/train/", "val=s3://data/val/"), store, host2);

        // key order a, b, c, d/e, f: host 1 gets the 1st, 3rd and 5th, host 2 the others
        assertThat(files(host1.channel("train"))).containsExactly("a.csv", "c.csv", "f.csv");
        assertThat(files(host2.channel("train"))).containsExactly("b.csv", "d/e.csv");
        assertThat(Files.readString(host2.channel("train").resolve("d/e.csv"))).isEqualTo("d/e.csv");
        assertThat(files(host1.channel("val"))).containsExactly("v.csv");
        assertThat(files(host2.channel("val"))).containsExactly("v.csv");
        assertThat(files(host1.root().resolve("input"))).allMatch(f -> f.startsWith("data/"));   // no scratch left

        JobDirectory single = new JobDirectory(tmp.resolve("single"));
        PodTasks.stageInput(List.of("sharded:train=s3://data/train/"), store, single);
        assertThat(files(single.channel("train"))).containsExactly("a.csv", "b.csv", "c.csv", "d/e.csv", "f.csv");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
