package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static dev.vernier.backend.local.TestJobs.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class StoppingTest {
    @TempDir Path tmp;

    @Test
    void a_job_past_its_max_runtime_is_killed_with_its_whole_process_group() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();   // grace period 1 s
        var handle = TestJobs.launch(backend, jobs.spec("hangs_with_grandchild.sh").maxRuntime(1).build());
        Path grandchildPid = Path.of(handle.jobDir(), "grandchild.pid");

        var running = pollUntil(backend, handle, Duration.ofSeconds(60), r -> TestJobs.written(grandchildPid));
        long grandchild = Long.parseLong(Files.readString(grandchildPid).strip());
        assertThat(ProcessHandle.of(grandchild)).isPresent();
        var stopping = pollUntil(backend, running.handle, Duration.ofSeconds(60),
                r -> r.last.phase() == Phase.STOPPING);
        assertThat(stopping.handle.stopCause()).isEqualTo(StopCause.MAX_RUNTIME_EXCEEDED);

        // The program and its grandchild ignore SIGTERM: only the SIGKILL after the grace period ends them.
        var run = pollToEnd(backend, stopping.handle);

        assertThat(run.last.phase()).isEqualTo(Phase.FINISHED);
        var result = run.last.result();
        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        assertThat(result.failureReason()).isNull();
        assertThat(Duration.between(stopping.handle.stopRequestedAt(), result.endTime()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        var losses = new java.util.ArrayList<>(running.values("loss"));
        losses.addAll(stopping.values("loss"));
        losses.addAll(run.values("loss"));
        assertThat(losses).containsExactly(0.9);
        awaitGone(grandchild);
        assertThat(groupMembers(handle.pid())).isZero();
    }

    @Test
    void a_stop_right_after_launch_still_stops_the_job() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var handle = TestJobs.launch(backend, jobs.spec("sleeps.sh").build());

        var stopped = TestJobs.stop(backend, handle, StopCause.USER_REQUEST);
        var run = pollToEnd(backend, stopped);

        assertThat(stopped.stopCause()).isEqualTo(StopCause.USER_REQUEST);
        assertThat(run.last.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.last.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(groupMembers(handle.pid())).isZero();
    }

    @Test
    void a_job_ends_when_its_program_exits_even_if_a_child_keeps_the_log_open() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var handle = TestJobs.launch(backend, jobs.spec("leaves_child.sh").build());

        var run = pollToEnd(backend, handle);

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("loss")).containsExactly(0.3);
        awaitGone(Long.parseLong(Files.readString(Path.of(handle.jobDir(), "child.pid")).strip()));
    }

    static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).isPresent() && LinuxProcesses.stat(pid).map(s -> !s.isZombie()).orElse(false)) {
            if (System.nanoTime() > deadline) throw new AssertionError("process " + pid + " still alive");
            Thread.sleep(20);
        }
    }

    /** Live (non-zombie) processes in process group {@code pgid}. */
    static long groupMembers(long pgid) {
        return ProcessHandle.allProcesses()
                .filter(p -> LinuxProcesses.stat(p.pid()).filter(s -> s.processGroup() == pgid && !s.isZombie()).isPresent())
                .count();
    }
}
