package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.training.hosts.HostNamespaces;
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

    @Test
    void the_hosts_of_a_job_run_in_a_pid_namespace_of_their_own_and_reach_each_other() throws Exception {
        assumeTrue(JobUser.serverUid() == 0, "the server is not root here");
        assumeTrue(HostNamespaces.detect().prefix != null, HostNamespaces.detect().problem);
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("multihost.py").instanceCount(3)
                .hyperParameters(Map.of("port", "47307")).build()));

        assertThat(run.last.result().status()).as(log(backend, run)).isEqualTo(Status.COMPLETED);
        assertThat(log(backend, run).lines().filter(l -> l.startsWith("heard from "))).hasSize(3);
        assertThat(StoppingTest.groupMembers(run.handle.pid())).isZero();
    }

    private static String log(LocalTrainingBackend backend, TestJobs.Run run) {
        return new String(backend.readLog(run.handle.toHandle(), 0, 1 << 20).bytes());
    }
}
