package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.testkit.Programs;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What only the Slurm backend has: Slurm's refusals, its queue, jobs lost on a node, submissions not recorded. */
@ExtendWith(SlurmCluster.class)
class SlurmBackendTest {
    private static final AtomicInteger JOBS = new AtomicInteger();

    @TempDir
    Path dir;

    private TrainingBackend backend(Map<String, String> settings) {
        SlurmCluster.cancelAfterEach(dir);
        return SlurmTrainingBackendContractTest.SLURM.create(new TrainingBackendFactory.Context(settings,
                dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(),
                Duration.ofSeconds(1), 1 << 20));
    }

    private static TrainingJobSpec job(String program) {
        return job(program, "ml.m5.large");
    }

    private static TrainingJobSpec job(String program, String instanceType) {
        String name = "slurm-" + JOBS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name, null,
                Programs.image(program), "File", Map.of(), Map.of(), List.of(), List.of(), "s3://slurm-models/out",
                new TrainingJobSpec.Resources(instanceType, 1, 10), 300, false);
    }

    @Test
    void a_job_slurm_can_never_run_is_refused_at_check_and_at_launch_with_slurms_reason() {
        for (String huge : List.of("ml.m5.large=1:1000000000:0", "ml.m5.large=100000:0:0", "ml.m5.large=1:0:8")) {
            TrainingBackend backend = backend(Map.of("slurm-instance-types", huge));
            TrainingJobSpec spec = job("completes.sh");
            assertThatThrownBy(() -> backend.check(spec)).as(huge)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class)
                    .hasMessageContaining("InstanceType ml.m5.large").hasMessageContaining("can never run");
            assertThatThrownBy(() -> backend.launch(spec)).as(huge)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining("Slurm refuses the job");
            backend.close();
        }
    }

    @Test
    void an_instance_type_missing_from_the_table_is_refused_naming_the_setting() {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec spec = job("completes.sh", "ml.x9.huge");
        assertThatThrownBy(() -> backend.check(spec)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("ml.x9.huge").hasMessageContaining("slurm-instance-types");
    }

    @Test
    void a_submission_sent_but_not_recorded_is_adopted_and_never_submitted_twice() throws Exception {
        TrainingBackend first = backend(Map.of());
        TrainingJobSpec spec = job("sleeps.sh");
        LaunchedRun launched = first.launch(spec);
        long id = SlurmRun.from(launched.handle()).slurmJobId();
        Path jobDir = Path.of(SlurmRun.from(launched.handle()).jobDir());
        Files.delete(jobDir.resolve("vernier/handle.json"));   // the server died before recording sbatch's answer

        LaunchedRun again = backend(Map.of()).launch(spec);

        assertThat(SlurmRun.from(again.handle()).slurmJobId()).isEqualTo(id);
        assertThat(jobsNamed(spec.trainingJobName())).containsExactly(Long.toString(id));
        first.stop(again.handle(), StopCause.USER_REQUEST);
    }

    @Test
    void a_job_that_ended_and_was_forgotten_by_slurm_is_adopted_from_the_id_its_script_recorded() throws Exception {
        TrainingBackend first = backend(Map.of());
        TrainingJobSpec spec = job("completes.sh");
        LaunchedRun launched = first.launch(spec);
        RunObservation end = pollToEnd(first, launched);
        assertThat(end.result().status()).isEqualTo(RunResult.Status.COMPLETED);
        Path jobDir = Path.of(SlurmRun.from(launched.handle()).jobDir());
        Files.delete(jobDir.resolve("vernier/handle.json"));

        LaunchedRun again = backend(Map.of()).launch(spec);

        assertThat(SlurmRun.from(again.handle()).slurmJobId()).isEqualTo(SlurmRun.from(launched.handle()).slurmJobId());
        assertThat(jobsNamed(spec.trainingJobName())).hasSize(1);
    }

    @Test
    void a_job_waiting_in_the_queue_is_cancelled_by_a_stop_and_ends_stopped_without_running() throws Exception {
        TrainingBackend backend = backend(Map.of("slurm-sbatch-options", "--begin=now+3600"));
        LaunchedRun launched = backend.launch(job("completes.sh"));
        Thread.sleep(1000);
        assertThat(backend.poll(launched.handle()).phase()).isEqualTo(RunObservation.Phase.RUNNING);

        var stopped = backend.stop(launched.handle(), StopCause.USER_REQUEST);
        RunObservation end = pollToEnd(backend, new LaunchedRun(stopped, launched.startedAt()));

        assertThat(end.result().status()).isEqualTo(RunResult.Status.STOPPED);
        assertThat(Path.of(SlurmRun.from(launched.handle()).jobDir()).resolve("vernier/pid")).doesNotExist();
    }

    @Test
    void a_job_whose_node_fails_is_vanished_with_slurms_state_so_that_it_is_retried() throws Exception {
        TrainingBackend backend = backend(Map.of());
        LaunchedRun launched = backend.launch(job("sleeps.sh"));
        SlurmRun run = awaitStart(launched);
        String node = SlurmCluster.run("squeue", "--noheader", "--jobs=" + run.slurmJobId(), "--format=%N").out().strip();
        SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=DOWN", "Reason=vernier-test");
        try {
            RunObservation end = pollToEnd(backend, launched);
            assertThat(end.phase()).isEqualTo(RunObservation.Phase.VANISHED);
            assertThat(end.detail()).startsWith("InternalServerError: Slurm job " + run.slurmJobId() + " ended NODE_FAIL");
        } finally {
            SlurmCluster.run("scontrol", "update", "NodeName=" + node, "State=RESUME");
        }
    }

    @Test
    void a_job_killed_outside_vernier_without_an_exit_code_is_vanished_so_that_it_is_retried() throws Exception {
        TrainingBackend backend = backend(Map.of());
        LaunchedRun launched = backend.launch(job("sleeps.sh"));
        SlurmRun run = awaitStart(launched);
        // as the kernel's OOM killer would: the wrapper and all, no time to record an exit code
        String group = Files.readString(Path.of(run.jobDir()).resolve("vernier/pid")).strip();
        SlurmCluster.run("srun", "--jobid=" + run.slurmJobId(), "--overlap", "--quiet", "kill", "-KILL", "--", "-" + group);

        RunObservation end = pollToEnd(backend, launched);

        assertThat(end.phase()).isEqualTo(RunObservation.Phase.VANISHED);
        assertThat(end.detail()).startsWith("InternalServerError: Slurm job " + run.slurmJobId() + " ended")
                .endsWith("without the training program recording an exit code");
    }

    private static SlurmRun awaitStart(LaunchedRun launched) throws InterruptedException {
        SlurmRun run = SlurmRun.from(launched.handle());
        Path pid = Path.of(run.jobDir()).resolve("vernier/pid");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.exists(pid) && Instant.now().isBefore(deadline)) Thread.sleep(50);
        Thread.sleep(200);   // the program itself has started
        return run;
    }

    private static RunObservation pollToEnd(TrainingBackend backend, LaunchedRun launched) throws InterruptedException {
        var handle = launched.handle();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            RunObservation o = backend.poll(handle);
            if (o.isTerminal()) return o;
            handle = o.handle();
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not end within 90 s");
    }

    private static List<String> jobsNamed(String name) throws Exception {
        String out = SlurmCluster.run("squeue", "--noheader", "--states=all", "--name=" + name, "--format=%i").out();
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
