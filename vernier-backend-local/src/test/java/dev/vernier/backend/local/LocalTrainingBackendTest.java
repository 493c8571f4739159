package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.training.log.LogLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class LocalTrainingBackendTest {
    @TempDir Path tmp;

    @Test
    void a_job_runs_in_its_directory_under_the_jobs_root_which_keeps_only_the_servers_files_afterwards()
            throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("completes.sh").build();

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        Path dir = tmp.resolve("jobs").resolve(spec.trainingJobName());
        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.handle.jobDir()).isEqualTo(dir.toString());
        assertThat(new String(backend.readLog(run.handle.toHandle(), 0, 1 << 20).bytes())).contains("cwd=" + dir);
        // Artifacts were packed straight into the store: no temporary copies beside the server's own files.
        try (var files = Files.list(dir.resolve("vernier"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals(JobCgroups.FILE)))
                    .containsExactlyInAnyOrder("pid", "exit_code", "training.log", "launch.json", "handle.json",
                            "result.json");
        }
    }

    @Test
    void overlong_lines_are_skipped_and_carriage_returns_end_lines() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withPollBudget(LogLines.MAX_LINE_BYTES), jobs.store);
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("long_lines.sh").build()));

        assertThat(run.values("loss")).containsExactly(1.0, 0.7, 0.5);
        assertThat(run.polls).isGreaterThan(3);   // 200 KB read 64 KB at a time
    }

    @Test
    void images_that_cannot_run_here_are_refused_before_launch() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withImagePrograms(
                Map.of("123.dkr.ecr.us-east-1.amazonaws.com/xgboost:1", jobs.program("completes.sh").toString())),
                jobs.store);

        backend.checkImage("123.dkr.ecr.us-east-1.amazonaws.com/xgboost:1");
        backend.checkImage("file://" + jobs.program("completes.sh"));
        assertThatThrownBy(() -> backend.checkImage("683313688378.dkr.ecr.us-east-1.amazonaws.com/other:1"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("map the image to a local program");
        assertThatThrownBy(() -> backend.checkImage("file:///no/such/program"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> backend.checkImage("file://relative/program"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("file:///absolute/path");
        Path notExecutable = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> backend.checkImage("file://" + notExecutable))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("not executable");
        var unmapped = jobs.spec("completes.sh").image("some/image:latest").build();
        assertThatThrownBy(() -> TestJobs.launch(backend, unmapped)).isInstanceOf(UnsupportedImageException.class);
        assertThat(tmp.resolve("jobs").resolve(unmapped.trainingJobName())).doesNotExist();
    }
}
