package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a run ends, as SageMaker reports it: Completed with its metric points in the order printed
 * and its artifacts at {@code <S3OutputPath>/<job>/output/}; Failed with the program's
 * {@code output/failure}, else its exit code and last log lines; and its log, stdout and stderr,
 * readable from any offset.
 */
public interface RunOutcomeContract extends BackendUnderTest {
    @Test
    default void a_program_that_exits_0_completes_with_its_metrics_in_order_and_its_artifacts_stored() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("completes.sh").hyperParameters(Map.of("learning_rate", "0.1")).metrics(
                new MetricDefinition("train:loss", "train_loss=([0-9.]+)"),
                new MetricDefinition("validation:accuracy", "validation:accuracy=([0-9.]+)"));
        TrainingJobSpec spec = job.build();

        ObservedRun run = toEnd(launch(backend, spec), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.COMPLETED);
        assertThat(result.failureReason()).isNull();
        assertThat(result.exitCode()).isZero();
        assertThat(result.startTime()).isBeforeOrEqualTo(result.endTime());
        assertThat(run.values("train:loss")).containsExactly(0.3, 0.2, 0.1, 0.05);   // the last line had no newline
        assertThat(run.values("validation:accuracy")).containsExactly(0.6, 0.7, 0.8);
        assertThat(result.modelArtifactUri()).isEqualTo("s3://contract-models/out/" + job.name() + "/output/model.tar.gz");
        assertThat(archive(result.modelArtifactUri())).containsExactly("extra/", "extra/vocab.txt", "model.bin");
        assertThat(archive(spec.outputPrefix() + "output.tar.gz")).containsExactly("report.txt");
        assertThat(log(backend, run)).contains("to stderr: warning");
    }

    @Test
    default void a_program_that_prints_no_metric_completes_with_no_points() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("no_metrics.sh").build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.points()).isEmpty();
    }

    @Test
    default void values_that_are_not_finite_numbers_are_not_points() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("prints_nan.sh").build()), backend);

        assertThat(run.values("loss")).containsExactly(0.25);
    }

    @Test
    default void a_program_that_fails_has_its_failure_file_as_reason() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("fails_with_failure_file.sh").build()), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.failureReason()).startsWith("ValueError: learning_rate must be positive\nxxx").hasSize(1024);
        assertThat(result.modelArtifactUri()).isNull();
    }

    @Test
    default void a_program_that_fails_without_failure_file_has_its_exit_code_and_last_log_lines_as_reason() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("fails.sh").build()), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.failureReason())
                .startsWith("AlgorithmError: the training program exited with code 3. Last log lines:\n")
                .doesNotContain("batch 20\n");
        assertThat(result.failureReason().lines()).hasSize(11);
        if (keepsOutputOrder()) {
            assertThat(result.failureReason()).endsWith("working on batch 30\nTraceback: division by zero");
        } else {   // the stderr line may come anywhere among the stdout lines (Docker relays them as two streams)
            List<String> last = result.failureReason().lines().skip(1).toList();
            assertThat(last).contains("working on batch 30").allMatch(l -> l.startsWith("working on batch 2")
                    || l.equals("working on batch 30") || l.equals("Traceback: division by zero"));
        }
    }

    @Test
    default void the_log_holds_stdout_and_stderr_and_reads_in_chunks_from_any_offset() throws Exception {
        TrainingBackend backend = newBackend();
        ObservedRun run = toEnd(launch(backend, job("completes.sh").build()), backend);

        byte[] whole = backend.readLog(run.handle(), 0, 1 << 20).bytes();

        assertThat(new String(whole, StandardCharsets.UTF_8)).contains("epoch=1 train_loss=0.3", "to stderr: warning",
                "final train_loss=0.05");
        if (keepsOutputOrder())   // the program's last line, which a kubelet serves with a newline it did not print
            assertThat(new String(whole, StandardCharsets.UTF_8)).matches("(?s).*\nfinal train_loss=0\\.05\n?");
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        long offset = 0;
        for (LogChunk chunk = backend.readLog(run.handle(), 0, 7); chunk.bytes().length > 0;
             chunk = backend.readLog(run.handle(), offset, 7)) {
            assertThat(chunk.bytes().length).isLessThanOrEqualTo(7);
            chunks.write(chunk.bytes());
            offset = chunk.nextOffset();
        }
        assertThat(chunks.toByteArray()).isEqualTo(whole);
        assertThat(offset).isEqualTo(whole.length);
        assertThat(backend.readLog(run.handle(), 10, 1 << 20).bytes()).isEqualTo(Arrays.copyOfRange(whole, 10, whole.length));
        LogChunk past = backend.readLog(run.handle(), whole.length, 100);
        assertThat(past.bytes()).isEmpty();
        assertThat(past.nextOffset()).isEqualTo(whole.length);
        assertThat(newBackend().readLog(run.handle(), 0, 1 << 20).bytes()).isEqualTo(whole);
    }
}
