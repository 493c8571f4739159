package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.training.RunResult.Status;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root server on a machine without usable cgroups: a PID namespace per job takes the escaped processes with it. */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class WithoutCgroupsTest {
    @TempDir java.nio.file.Path tmp;

    @BeforeEach
    void noCgroups() {
        JobCgroups.overrideForTests("cgroups switched off for this test");
    }

    @AfterEach
    void cgroupsAgain() {
        JobCgroups.overrideForTests(null);
    }

    @Test
    void a_process_that_left_the_session_dies_with_the_job_completed_or_stopped() throws Exception {
        assumeTrue(JobUser.serverUid() == 0, "the server is not root here");
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();

        var completed = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("leaves_session.sh").build()));
        var waiting = TestJobs.pollUntil(backend, TestJobs.launch(backend, jobs.spec("leaves_session.sh")
                .hyperParameters(Map.of("wait", "1")).build()), java.time.Duration.ofSeconds(30), r -> !r.points.isEmpty());
        var stopped = pollToEnd(backend, TestJobs.stop(backend, waiting.handle, dev.vernier.core.training.StopCause.USER_REQUEST));

        assertThat(completed.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(stopped.last.result().status()).isEqualTo(Status.STOPPED);
        String[] logs = {log(backend, completed), log(backend, stopped)};
        assertThat(logs).allSatisfy(l -> assertThat(l).contains("escaped 1"));
        Thread.sleep(1000);
        assertThat(new String[] {log(backend, completed), log(backend, stopped)}).containsExactly(logs);
    }

    private static String log(LocalTrainingBackend backend, TestJobs.Run run) {
        return new String(backend.readLog(run.handle.toHandle(), 0, 1 << 20).bytes());
    }
}
