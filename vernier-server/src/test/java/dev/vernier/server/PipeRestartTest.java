package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.testkit.Programs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

/**
 * A Pipe-mode training job through a server's SIGKILL and restart: its epochs go on being fed while
 * no server runs and after the next one has re-adopted the job, every epoch whole.
 */
class PipeRestartTest {
    private static final int EPOCHS = 4;

    @TempDir Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(ServerProcess::close);
    }

    @Test
    void aPipeModeJobIsFedThroughAServerRestartWithEveryEpochWhole() throws Exception {
        dir.toFile().setExecutable(true, false);   // as root, programs run as nobody, who must reach the job directories
        Path data = dir.resolve("data");
        byte[] one = random(1_500_000, 1);   // many times a FIFO's buffer: the feeding is under way when the server dies
        byte[] two = random(70_001, 2);
        Files.createDirectories(data.resolve("s3/datasets/pipe"));
        Files.write(data.resolve("s3/datasets/pipe/1.bin"), one);
        Files.write(data.resolve("s3/datasets/pipe/2.bin"), two);
        Path output = dir.resolve("server.out");

        ServerProcess first = start(data, output);
        var request = Requests.create("piped", Programs.image("reads_pipes.sh"),
                Map.of("EPOCHS", Integer.toString(EPOCHS), "PIPE_CHANNELS", "train", "EPOCH_SLEEP", "1"), 1, 1);
        first.client().createHyperParameterTuningJob(request.toBuilder().trainingJobDefinition(
                request.trainingJobDefinition().toBuilder()
                        .algorithmSpecification(request.trainingJobDefinition().algorithmSpecification().toBuilder()
                                .trainingInputMode(TrainingInputMode.PIPE).build())
                        .inputDataConfig(Channel.builder().channelName("train").dataSource(DataSource.builder()
                                .s3DataSource(S3DataSource.builder().s3DataType("S3Prefix").s3Uri("s3://datasets/pipe/")
                                        .build()).build()).build())
                        .build()).build());

        Path log = awaitLogLine(data.resolve("jobs"), "epoch 0 read", null);
        first.kill();
        Path job = log.getParent().getParent();
        awaitLogLine(data.resolve("jobs"), "epoch 1 read", log);   // fed with no server at all

        ServerProcess second = start(data, output);
        var ended = Waits.terminal(second.client(), "piped");
        assertThat(ended.hyperParameterTuningJobStatus()).as("log:%n%s%nservers:%n%s%n%s", Files.readString(log),
                Files.readString(output), ended).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        var summaries = second.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("piped"))
                .trainingJobSummaries();
        assertThat(summaries).as("re-adopted, not retried").hasSize(1);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(one);
        expected.writeBytes(two);
        for (int epoch = 0; epoch < EPOCHS; epoch++)
            assertThat(Files.readAllBytes(job.resolve("model/train_" + epoch))).as("epoch %d", epoch)
                    .isEqualTo(expected.toByteArray());
        long feeder = Long.parseLong(Files.readString(job.resolve("vernier/pipe-feeder/pid")).split(" ")[0]);
        Instant deadline = Instant.now().plusSeconds(10);
        while (ProcessHandle.of(feeder).map(ProcessHandle::isAlive).orElse(false) && Instant.now().isBefore(deadline))
            Thread.sleep(50);
        assertThat(ProcessHandle.of(feeder).map(ProcessHandle::isAlive).orElse(false)).as("the feeding ends with the job")
                .isFalse();
    }

    private ServerProcess start(Path data, Path output) {
        ServerProcess server = ServerProcess.start(data, output);
        servers.add(server);
        return server;
    }

    /** Waits for a line in the (only) job's log; {@code log} when known. */
    private static Path awaitLogLine(Path jobs, String line, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Path found = log != null ? log : findLog(jobs);
            if (found != null && Files.exists(found) && Files.readString(found).lines().anyMatch(line::equals)) return found;
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + line + "' in " + (log != null ? Files.readString(log) : "any job's log"));
    }

    private static Path findLog(Path jobs) throws IOException {
        if (!Files.isDirectory(jobs)) return null;
        try (Stream<Path> dirs = Files.list(jobs)) {
            return dirs.map(d -> d.resolve("vernier/training.log")).filter(Files::exists).findFirst().orElse(null);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
