package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static dev.vernier.backend.local.TestJobs.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.wrapper.Wrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new server process picks runs up from stored handles: live ones keep going, gone ones are reported. */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class ReadoptionTest {
    @TempDir Path tmp;

    @Test
    void a_run_killed_without_an_exit_code_is_reported_vanished() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        LocalRun handle = TestJobs.launch(backend, jobs.spec("sleeps.sh").build());
        var running = pollUntil(backend, handle, Duration.ofSeconds(60), r -> !r.points.isEmpty());

        kill("-KILL", "--", "-" + handle.pid());   // the wrapper, the program and its child, as an OOM killer might
        StoppingTest.awaitGone(handle.pid());
        var observed = TestJobs.poll(jobs.backend(), running.handle);

        assertThat(observed.phase()).isEqualTo(Phase.VANISHED);
        assertThat(observed.detail()).contains("without recording an exit code");
        assertThat(observed.result()).isNull();
    }

    @Test
    void when_only_the_wrapper_dies_the_orphaned_program_is_killed_and_the_run_reported_vanished() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        LocalRun handle = TestJobs.launch(backend, jobs.spec("sleeps.sh").build());
        Path childPid = Path.of(handle.jobDir(), "child.pid");
        pollUntil(backend, handle, Duration.ofSeconds(60), r -> TestJobs.written(childPid) && !r.points.isEmpty());
        long child = Long.parseLong(Files.readString(childPid).strip());

        kill("-KILL", Long.toString(handle.pid()));
        StoppingTest.awaitGone(handle.pid());
        var observed = TestJobs.poll(backend, handle);

        assertThat(observed.phase()).isEqualTo(Phase.VANISHED);
        StoppingTest.awaitGone(child);
    }

    @Test
    void a_reused_pid_is_not_mistaken_for_the_run() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        LocalRun real = TestJobs.launch(backend, jobs.spec("sleeps.sh").build());
        try {
            assertThat(TestJobs.poll(backend, impostorOf(real)).phase()).isEqualTo(Phase.VANISHED);
            assertThat(LinuxProcesses.isAlive(real.pid(), real.processStartTicks())).isTrue();   // not signalled
        } finally {
            awaitFile(state(real, Wrapper.PID));   // written after setsid: the group exists
            kill("-KILL", "--", "-" + real.pid());
        }
    }

    @Test
    void a_wrong_handle_polled_while_the_wrapper_writes_its_pid_file_leaves_the_run_alone() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        LocalRun real = TestJobs.launch(backend, jobs.spec("sleeps.sh").build());
        try {
            Path pidFile = state(real, Wrapper.PID);
            awaitFile(pidFile);
            Path childPid = Path.of(real.jobDir(), "child.pid");
            pollUntil(backend, real, Duration.ofSeconds(60), r -> TestJobs.written(childPid) && !r.points.isEmpty());
            Files.writeString(pidFile, "");   // as the shell leaves it between creating the file and writing its pid

            assertThat(TestJobs.poll(backend, impostorOf(real)).phase()).isEqualTo(Phase.VANISHED);
            assertThat(LinuxProcesses.isAlive(real.pid(), real.processStartTicks())).isTrue();
            long child = Long.parseLong(Files.readString(childPid).strip());
            assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true);   // its cgroup not killed
        } finally {
            kill("-KILL", "--", "-" + real.pid());
        }
    }

    @Test
    void a_launch_whose_handle_was_never_recorded_is_found_again_by_its_pid_file() throws Exception {
        var jobs = new TestJobs(tmp);
        var spec = jobs.spec("waits_for_go.sh").build();
        LocalRun original = TestJobs.launch(jobs.backend(), spec);
        awaitFile(state(original, Wrapper.PID));
        Files.delete(Path.of(original.jobDir(), "vernier/handle.json"));   // the server died right after starting it

        var backend = jobs.backend();
        LocalRun recovered = TestJobs.launch(backend, spec);

        assertThat(recovered.pid()).isEqualTo(original.pid());
        assertThat(recovered.processStartTicks()).isEqualTo(original.processStartTicks());
        Files.createFile(Path.of(original.jobDir(), "go"));
        var run = pollToEnd(backend, recovered);
        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("loss")).hasSize(6);
    }

    /** Same pid, another start time: a handle as if the run had died and its pid been given to another process. */
    private static LocalRun impostorOf(LocalRun real) {
        return new LocalRun(real.jobName(), real.jobDir(), real.pid(), real.processStartTicks() - 1, 0, false,
                real.launchTime(), null, null);
    }

    static Path state(LocalRun run, String file) {
        return new JobDirectory(Path.of(run.jobDir())).state(file);
    }

    static void kill(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("kill"));
        cmd.addAll(List.of(args));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
    }

    static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) throw new AssertionError(file + " never appeared");
            Thread.sleep(20);
        }
    }
}
