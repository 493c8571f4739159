package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class ChannelStagingTest {
    @TempDir Path tmp;

    @Test
    void channels_from_the_object_store_and_file_uris_are_staged_in_file_mode() throws Exception {
        var jobs = new TestJobs(tmp);
        Path bucket = jobs.store.root().resolve("datasets");
        write(bucket.resolve("mnist/train/a.csv"), "1,2");
        write(bucket.resolve("mnist/train/part/b.csv"), "3,4");
        write(bucket.resolve("mnist/training-notes.txt"), "not train/ but shares the prefix");
        write(bucket.resolve("mnist/test/c.csv"), "5,6");
        Path local = tmp.resolve("local-data");
        write(local.resolve("x.json"), "{}");
        write(local.resolve("deep/y.json"), "[]");
        write(tmp.resolve("single.txt"), "one file");
        var backend = jobs.backend();
        var spec = jobs.spec("lists_channels.sh").channels(
                InputChannel.of("train", "s3://datasets/mnist/train/"),
                InputChannel.of("prefix", "s3://datasets/mnist/train"),
                InputChannel.of("local", "file://" + local),
                InputChannel.of("one", "file://" + tmp.resolve("single.txt")),
                new InputChannel("test", "s3://datasets/mnist/test", "S3Prefix", "FullyReplicated", "text/csv",
                        "None", "None", "FastFile"))
                .outputPath("file://" + tmp.resolve("artifacts")).build();

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(new String(backend.readLog(run.handle.toHandle(), 0, 4096).bytes()).lines()).containsExactly(
                "./local/deep/y.json", "./local/x.json", "./one/single.txt",
                // S3Prefix without a trailing '/': every key starting with ".../train", whole names kept
                "./prefix/a.csv", "./prefix/part/b.csv", "./prefix/training-notes.txt", "./test/c.csv", "./train/a.csv", "./train/part/b.csv");
        Path dir = Path.of(run.handle.jobDir());
        assertThat(Files.readString(dir.resolve("input/data/train/part/b.csv"))).isEqualTo("3,4");
        var config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("input/config/inputdataconfig.json").toFile()).get("test");
        assertThat(config.get("ContentType").asText()).isEqualTo("text/csv");
        assertThat(config.get("TrainingInputMode").asText()).isEqualTo("FastFile");
        // Copies, not links: the program cannot change the stored data.
        Files.writeString(dir.resolve("input/data/train/a.csv"), "changed");
        assertThat(Files.readString(bucket.resolve("mnist/train/a.csv"))).isEqualTo("1,2");
        assertThat(tmp.resolve("artifacts").resolve(spec.trainingJobName()).resolve("output/model.tar.gz"))
                .isRegularFile();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
