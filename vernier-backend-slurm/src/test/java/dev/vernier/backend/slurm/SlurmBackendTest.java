package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunHandle;
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
    void a_job_slurm_can_never_run_is_refused_at_check_and_fails_as_the_clients_error_at_launch() throws Exception {
        for (String huge : List.of("ml.m5.large=1:1000000000:0", "ml.m5.large=100000:0:0", "ml.m5.large=1:0:8")) {
            TrainingBackend backend = backend(Map.of("slurm-instance-types", huge));
            TrainingJobSpec spec = job("completes.sh");
            assertThatThrownBy(() -> backend.check(spec)).as(huge)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class)
                    .hasMessageContaining("InstanceType ml.m5.large").hasMessageContaining("can never run");
            LaunchedRun launched = backend.launch(spec);   // sbatch answers later, on the backend's own threads
            RunObservation end = pollToEnd(backend, launched);
            assertThat(end.result().status()).as(huge).isEqualTo(RunResult.Status.FAILED);
            assertThat(end.result().failureReason()).as(huge).startsWith("ClientError: Slurm refuses the job");
            assertThat(backend(Map.of("slurm-instance-types", huge)).poll(end.handle()).result()).as(huge)
                    .isEqualTo(end.result());
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
        long id = submitted(first, launched).slurmJobId();
        Path jobDir = Path.of(SlurmRun.from(launched.handle()).jobDir());
        Files.delete(jobDir.resolve("vernier/handle.json"));   // the server died before recording sbatch's answer

        TrainingBackend second = backend(Map.of());
        LaunchedRun again = second.launch(spec);

        assertThat(again).isEqualTo(launched);
        assertThat(submitted(second, again).slurmJobId()).isEqualTo(id);
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
        Files.delete(jobDir.resolve("vernier/result.json"));   // as if the server died before finishing the run

        TrainingBackend second = backend(Map.of());
        RunObservation again = pollToEnd(second, second.launch(spec));

        assertThat(SlurmRun.from(again.handle()).slurmJobId()).isEqualTo(SlurmRun.from(end.handle()).slurmJobId());
        assertThat(again.result().status()).isEqualTo(RunResult.Status.COMPLETED);
        assertThat(jobsNamed(spec.trainingJobName())).hasSize(1);
    }

    @Test
    void a_job_waiting_in_the_queue_is_cancelled_by_a_stop_and_ends_stopped_without_running() throws Exception {
        TrainingBackend backend = backend(Map.of("slurm-sbatch-options", "--begin=now+3600"));
        LaunchedRun launched = backend.launch(job("completes.sh"));
        assertThat(launched.waiting()).isEqualTo("Submitting the job to Slurm");
        RunObservation waiting = pollUntil(backend, launched, o -> o.waiting() != null && o.waiting().contains("BeginTime"));
        assertThat(waiting.phase()).isEqualTo(RunObservation.Phase.RUNNING);
        assertThat(waiting.waiting()).isEqualTo("Waiting in Slurm's queue (reason: BeginTime)");

        var stopped = backend.stop(launched.handle(), StopCause.USER_REQUEST);
        RunObservation end = pollToEnd(backend, new LaunchedRun(stopped, launched.startedAt()));

        assertThat(end.result().status()).isEqualTo(RunResult.Status.STOPPED);
        assertThat(Path.of(SlurmRun.from(launched.handle()).jobDir()).resolve("vernier/pid")).doesNotExist();
    }

    @Test
    void a_stop_asked_for_while_sbatch_runs_cancels_the_job_it_submits() throws Exception {
        TrainingBackend backend = backend(Map.of("slurm-sbatch-options", "--begin=now+3600"));
        TrainingJobSpec spec = job("completes.sh");
        LaunchedRun launched = backend.launch(spec);
        RunHandle stopped = backend.stop(launched.handle(), StopCause.USER_REQUEST);   // sbatch has not answered yet

        RunObservation end = pollToEnd(backend, new LaunchedRun(stopped, launched.startedAt()));

        assertThat(end.result().status()).isEqualTo(RunResult.Status.STOPPED);
        assertThat(Path.of(SlurmRun.from(launched.handle()).jobDir()).resolve("vernier/pid")).doesNotExist();
        Instant deadline = Instant.now().plusSeconds(30);   // whatever sbatch submitted is cancelled
        while (!stateOf(spec.trainingJobName()).matches("|CANCELLED") && Instant.now().isBefore(deadline))
            Thread.sleep(200);
        assertThat(stateOf(spec.trainingJobName())).matches("|CANCELLED");
    }

    @Test
    void an_exit_code_file_still_being_written_is_not_taken_for_an_end_without_a_code() throws Exception {
        TrainingBackend backend = backend(Map.of());
        LaunchedRun launched = backend.launch(job("sleeps.sh"));
        SlurmRun run = awaitStart(backend, launched);
        Path exitCode = Path.of(run.jobDir()).resolve("vernier/exit_code");
        Files.createFile(exitCode);   // as the wrapper's shell has it between creating the file and writing to it

        RunObservation meanwhile = backend.poll(run.toHandle());
        assertThat(meanwhile.phase()).isEqualTo(RunObservation.Phase.RUNNING);

        Files.writeString(exitCode, "0\n");
        RunObservation end = pollToEnd(backend, new LaunchedRun(meanwhile.handle(), launched.startedAt()));
        assertThat(end.result().status()).isEqualTo(RunResult.Status.COMPLETED);
        assertThat(end.result().exitCode()).isZero();
        SlurmCluster.run("scancel", Long.toString(run.slurmJobId()));   // the program itself still sleeps
    }

    @Test
    void a_job_whose_node_fails_is_vanished_with_slurms_state_so_that_it_is_retried() throws Exception {
        TrainingBackend backend = backend(Map.of());
        LaunchedRun launched = backend.launch(job("sleeps.sh"));
        SlurmRun run = awaitStart(backend, launched);
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
        SlurmRun run = awaitStart(backend, launched);
        // as the kernel's OOM killer would: the wrapper and all, no time to record an exit code
        String group = Files.readString(Path.of(run.jobDir()).resolve("vernier/pid")).strip();
        SlurmCluster.run("srun", "--jobid=" + run.slurmJobId(), "--overlap", "--quiet", "kill", "-KILL", "--", "-" + group);

        RunObservation end = pollToEnd(backend, launched);

        assertThat(end.phase()).isEqualTo(RunObservation.Phase.VANISHED);
        assertThat(end.detail()).startsWith("InternalServerError: Slurm job " + run.slurmJobId() + " ended")
                .endsWith("without the training program recording an exit code");
    }

    @Test
    void a_pipe_mode_job_passes_the_check_and_reads_its_fifos_on_nodes_of_this_machine() throws Exception {
        TrainingBackend backend = backend(Map.of());
        byte[] data = new byte[150_000];
        new java.util.Random(7).nextBytes(data);
        Files.write(Files.createDirectories(dir.resolve("objects/datasets/pipe")).resolve("1.bin"), data);
        TrainingJobSpec plain = job("reads_pipes.sh");
        TrainingJobSpec spec = new TrainingJobSpec(plain.trainingJobName(), plain.trainingJobArn(), null,
                plain.trainingImage(), "Pipe", Map.of(), Map.of("EPOCHS", "2", "PIPE_CHANNELS", "train"), List.of(),
                List.of(new dev.vernier.core.training.InputChannel("train", "s3://datasets/pipe/", null, null, null, null,
                        null, null)), "s3://slurm-models/out", plain.resources(), 300, false);

        backend.check(spec);   // both nodes of the test cluster are this machine (NodeAddr 127.0.0.1)
        RunObservation end = pollToEnd(backend, backend.launch(spec));

        assertThat(end.result().status()).as(end.toString()).isEqualTo(RunResult.Status.COMPLETED);
        Path job = Path.of(SlurmRun.from(end.handle()).jobDir());
        for (int epoch = 0; epoch < 2; epoch++)
            assertThat(Files.readAllBytes(job.resolve("model/train_" + epoch))).as("epoch %d", epoch).isEqualTo(data);
    }

    /** The run once a poll has learnt its Slurm job id (launch answers before sbatch has). */
    private static SlurmRun submitted(TrainingBackend backend, LaunchedRun launched) throws InterruptedException {
        return SlurmRun.from(pollUntil(backend, launched, o -> SlurmRun.from(o.handle()).submitted()).handle());
    }

    private static RunObservation pollUntil(TrainingBackend backend, LaunchedRun launched,
                                            java.util.function.Predicate<RunObservation> until) throws InterruptedException {
        var handle = launched.handle();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            RunObservation o = backend.poll(handle);
            if (until.test(o)) return o;
            if (o.isTerminal()) throw new AssertionError("the run ended first: " + o);
            handle = o.handle();
            Thread.sleep(50);
        }
        throw new AssertionError("no such poll within 60 s");
    }

    private static SlurmRun awaitStart(TrainingBackend backend, LaunchedRun launched) throws InterruptedException {
        SlurmRun run = submitted(backend, launched);
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

    /** The Slurm state of the job named {@code name}, or "" when Slurm knows none. */
    private static String stateOf(String name) throws Exception {
        return SlurmCluster.run("squeue", "--noheader", "--states=all", "--name=" + name, "--format=%T").out().strip();
    }

    private static List<String> jobsNamed(String name) throws Exception {
        String out = SlurmCluster.run("squeue", "--noheader", "--states=all", "--name=" + name, "--format=%i").out();
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
