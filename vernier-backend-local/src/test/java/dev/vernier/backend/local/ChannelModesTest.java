package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every channel mode with real bytes: manifests, Pipe mode over several epochs, Gzip, RecordIO, shuffling, refusals. */
@ExtendWith(KillsLeftoverJobs.class)
class ChannelModesTest {
    @TempDir Path tmp;
    private TestJobs jobs;
    private LocalTrainingBackend backend;
    private Path bucket;

    @BeforeEach
    void setUp() {
        jobs = new TestJobs(tmp);
        backend = jobs.backend();
        bucket = jobs.store.root().resolve("datasets");
    }

    @Test
    void aManifestFileStagesExactlyTheListedObjectsAtTheirRelativeKeys() throws Exception {
        byte[] big = random(200_000, 1);
        write(bucket.resolve("images/a.bin"), big);
        write(bucket.resolve("images/sub/b.txt"), "b".getBytes(UTF_8));
        write(bucket.resolve("images/a.bin.bak"), "not listed".getBytes(UTF_8));
        write(bucket.resolve("images/c.txt"), "not listed".getBytes(UTF_8));
        write(bucket.resolve("manifests/train.json"),
                "[{\"prefix\": \"s3://datasets/images/\"}, \"a.bin\", \"sub/b.txt\"]".getBytes(UTF_8));
        var spec = jobs.spec("lists_channels.sh").channels(new InputChannel("train", "s3://datasets/manifests/train.json",
                "ManifestFile", null, null, null, null, null)).build();

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        Path channel = Path.of(run.handle.jobDir()).resolve("input/data/train");
        assertThat(Files.readAllBytes(channel.resolve("a.bin"))).isEqualTo(big);
        assertThat(channel.resolve("sub/b.txt")).hasContent("b");
        assertThat(new String(backend.readLog(run.handle.toHandle(), 0, 4096).bytes()).lines())
                .containsExactly("./train/a.bin", "./train/sub/b.txt");
    }

    @Test
    void pipeModeFeedsAFreshFifoPerEpochWithEveryObjectInKeyOrder() throws Exception {
        byte[] one = random(100_000, 2);
        byte[] two = random(70_001, 3);
        write(bucket.resolve("pipe/1.bin"), one);
        write(bucket.resolve("pipe/2.bin"), two);
        var spec = pipeSpec(3, new InputChannel("train", "s3://datasets/pipe/", null, null, "application/x-recordio",
                null, null, "Pipe"));

        Path job = runToCompletion(spec);

        byte[] expected = concat(one, two);
        for (int epoch = 0; epoch < 3; epoch++)
            assertThat(Files.readAllBytes(job.resolve("model/train_" + epoch))).as("epoch %d", epoch).isEqualTo(expected);
        assertThat(job.resolve("input/data/train")).doesNotExist();
        assertThat(Files.readString(job.resolve("input/config/inputdataconfig.json"))).contains("\"TrainingInputMode\":\"Pipe\"")
                .contains("\"ContentType\":\"application/x-recordio\"");
    }

    @Test
    void aJobWhosePipeFeedingIsKilledEndsAsLostWithTheReasonInsteadOfWaitingForever() throws Exception {
        write(bucket.resolve("pipe/1.bin"), random(1_000, 6));
        var builder = pipeBuilder(3, new InputChannel("train", "s3://datasets/pipe/", null, null, null, null, null, "Pipe"));
        builder.environment = Map.of("EPOCHS", "3", "PIPE_CHANNELS", "train", "EPOCH_SLEEP", "1");
        LocalRun handle = TestJobs.launch(backend, builder.build());
        Path job = Path.of(handle.jobDir());
        TestJobs.pollUntil(backend, handle, java.time.Duration.ofSeconds(30),
                r -> logHas(job, "epoch 0 read"));
        ProcessHandle feeder = ProcessHandle.of(Long.parseLong(Files.readString(job.resolve("vernier/pipe-feeder/pid")).split(" ")[0]))
                .orElseThrow();
        feeder.destroyForcibly();
        feeder.onExit().get();

        var run = pollToEnd(backend, handle);

        String log = Files.readString(job.resolve("vernier/training.log"));
        assertThat(run.last.phase()).as(log).isEqualTo(dev.vernier.core.training.RunObservation.Phase.VANISHED);
        assertThat(run.last.detail()).as(log).contains("the process feeding its Pipe-mode channels ended");
        assertThat(job.resolve("model/train_2")).doesNotExist();
    }

    @Test
    void gzipObjectsAreSentDecompressedAndRecordIoWrapsEachObject() throws Exception {
        byte[] one = "first object\n".getBytes(UTF_8);
        byte[] two = random(5_003, 4);
        write(bucket.resolve("gz/a.gz"), gzip(one));
        write(bucket.resolve("gz/b.gz"), gzip(two));
        var spec = pipeSpec(2, new InputChannel("train", "s3://datasets/gz/", null, null, null, "Gzip", "RecordIO", null),
                "Pipe");

        Path job = runToCompletion(spec);

        byte[] expected = concat(record(one), record(two));
        assertThat(Files.readAllBytes(job.resolve("model/train_0"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(job.resolve("model/train_1"))).isEqualTo(expected);
    }

    @Test
    void aShuffleSeedDrawsADifferentOrderEachEpochAndTheSameOrderForTheSameSeed() throws Exception {
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            objects.add(("object " + i + ";").getBytes(UTF_8));
            write(bucket.resolve("shuffle/" + i + ".txt"), objects.get(i));
        }
        InputChannel shuffled = new InputChannel("train", "s3://datasets/shuffle/", null, "ShardedByS3Key", null, null,
                null, "Pipe", List.of(), 1234L);

        Path first = runToCompletion(pipeSpec(3, shuffled));
        Path second = runToCompletion(pipeSpec(3, shuffled));

        List<String> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            String epoch = Files.readString(first.resolve("model/train_" + e));
            assertThat(epoch.split(";")).as("epoch %d holds every object once", e)
                    .containsExactlyInAnyOrder("object 0", "object 1", "object 2", "object 3", "object 4", "object 5",
                            "object 6", "object 7");
            assertThat(Files.readString(second.resolve("model/train_" + e))).as("same seed, same order").isEqualTo(epoch);
            epochs.add(epoch);
        }
        assertThat(epochs).doesNotHaveDuplicates();
        assertThat(epochs).doesNotContain("object 0;object 1;object 2;object 3;object 4;object 5;object 6;object 7;");
    }

    @Test
    void anAugmentedManifestSendsTheNamedAttributesOfEachLineAsRecords() throws Exception {
        byte[] image = random(3_001, 5);
        write(bucket.resolve("aug/img1.jpg"), image);
        write(bucket.resolve("aug/manifest.jsonl"), ("{\"source-ref\": \"s3://datasets/aug/img1.jpg\", \"class\": \"cat\", \"x\": 1}\n"
                + "{\"source-ref\": \"s3://datasets/aug/img1.jpg\", \"class\": {\"label\": 2}}\n").getBytes(UTF_8));
        var spec = pipeSpec(1, new InputChannel("train", "s3://datasets/aug/manifest.jsonl", "AugmentedManifestFile", null,
                null, null, "RecordIO", "Pipe", List.of("source-ref", "class"), null));

        Path job = runToCompletion(spec);

        assertThat(Files.readAllBytes(job.resolve("model/train_0"))).isEqualTo(concat(record(image),
                record("cat".getBytes(UTF_8)), record(image), record("{\"label\":2}".getBytes(UTF_8))));
    }

    @Test
    void whatSageMakerAllowsOnlyInPipeModeIsRefusedInFileModeAndTheRestIsNamed() throws Exception {
        var spec = jobs.spec("completes.sh").channels(
                new InputChannel("a", "s3://datasets/x/", null, null, null, "Gzip", null, "File"),
                new InputChannel("b", "s3://datasets/x/", null, null, null, null, "RecordIO", "FastFile"),
                new InputChannel("c", "s3://datasets/m.jsonl", "AugmentedManifestFile", null, null, null, null, "File",
                        List.of("source-ref"), null),
                new InputChannel("e", "s3://datasets/m.jsonl", "AugmentedManifestFile", null, null, null, null, "Pipe"))
                .build();

        assertThatThrownBy(() -> backend.check(spec)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("channel 'a': CompressionType Gzip is used only in Pipe input mode")
                .hasMessageContaining("channel 'b': RecordWrapperType RecordIO is used only in Pipe input mode")
                .hasMessageContaining("channel 'c': AugmentedManifestFile in File mode is not supported yet")
                .hasMessageContaining("channel 'e': AugmentedManifestFile needs AttributeNames");
    }

    @Test
    void aManifestEntryThatClimbsOutOfTheChannelIsRefusedAndNothingLandsOutside() throws Exception {
        write(bucket.resolve("images/a.bin"), "a".getBytes(UTF_8));
        write(bucket.resolve("escape.txt"), "escaped".getBytes(UTF_8));
        write(bucket.resolve("manifests/evil.json"),
                "[{\"prefix\": \"s3://datasets/images/\"}, \"a.bin\", \"../escape.txt\"]".getBytes(UTF_8));
        var spec = jobs.spec("completes.sh").channels(new InputChannel("train", "s3://datasets/manifests/evil.json",
                "ManifestFile", null, null, null, null, null)).build();

        assertThatThrownBy(() -> TestJobs.launch(backend, spec)).hasMessageContaining("../escape.txt")
                .hasMessageContaining("outside the channel directory");
        Path job = backend.jobDirectory(spec.trainingJobName());
        assertThat(job.resolve("input/data/escape.txt")).doesNotExist();
    }

    // ---- helpers ----

    private static boolean logHas(Path job, String line) {
        try {
            return Files.readString(job.resolve("vernier/training.log")).lines().anyMatch(line::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private TestJobs.SpecBuilder pipeBuilder(int epochs, InputChannel... channels) throws IOException {
        var builder = jobs.spec("reads_pipes.sh").channels(channels);
        builder.environment = Map.of("EPOCHS", Integer.toString(epochs), "PIPE_CHANNELS", "train");
        return builder;
    }

    private dev.vernier.core.training.TrainingJobSpec pipeSpec(int epochs, InputChannel channel) throws IOException {
        return pipeBuilder(epochs, channel).build();
    }

    /** With the job's TrainingInputMode set to {@code mode} (the channel has none of its own). */
    private dev.vernier.core.training.TrainingJobSpec pipeSpec(int epochs, InputChannel channel, String mode) throws IOException {
        var s = pipeBuilder(epochs, channel).build();
        return new dev.vernier.core.training.TrainingJobSpec(s.trainingJobName(), s.trainingJobArn(), s.tuningJobName(),
                s.trainingImage(), mode, s.hyperParameters(), s.environment(), s.metricDefinitions(), s.inputChannels(),
                s.s3OutputPath(), s.resources(), s.maxRuntimeInSeconds(), s.enableNetworkIsolation());
    }

    private Path runToCompletion(dev.vernier.core.training.TrainingJobSpec spec) throws Exception {
        var run = pollToEnd(backend, TestJobs.launch(backend, spec));
        Path job = Path.of(run.handle.jobDir());
        assertThat(run.last.result().status()).as("log: %s", Files.readString(job.resolve("vernier/training.log")))
                .isEqualTo(Status.COMPLETED);
        return job;
    }

    private static byte[] record(byte[] data) {
        int pad = (4 - data.length % 4) % 4;
        ByteBuffer b = ByteBuffer.allocate(8 + data.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xced7230a).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

}
