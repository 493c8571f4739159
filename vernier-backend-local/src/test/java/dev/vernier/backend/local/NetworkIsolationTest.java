package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.training.RunResult.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class NetworkIsolationTest {
    @TempDir Path tmp;

    @Test
    void an_isolated_program_cannot_reach_a_local_port_that_a_normal_one_can() throws Exception {
        NetworkIsolation isolation = NetworkIsolation.detect();
        assumeTrue(isolation.prefix != null, () -> "network namespaces are impossible here: " + isolation.problem);
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var port = Map.of("port", Integer.toString(server.getLocalPort()));

            var open = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("connects.sh").hyperParameters(port).build()));
            var isolated = pollToEnd(backend,
                    TestJobs.launch(backend, jobs.spec("connects.sh").hyperParameters(port).isolated().build()));

            assertThat(open.last.result().status()).as("control run without isolation").isEqualTo(Status.COMPLETED);
            assertThat(new String(backend.readLog(open.handle.toHandle(), 0, 1000).bytes())).contains("connected");
            assertThat(isolated.last.result().status()).isEqualTo(Status.FAILED);
            assertThat(new String(backend.readLog(isolated.handle.toHandle(), 0, 1000).bytes())).contains("no network");
        }
    }

    @Test
    void an_isolated_program_cannot_enter_its_parents_pid_1s_or_the_servers_network_namespace() throws Exception {
        NetworkIsolation isolation = NetworkIsolation.detect();
        assumeTrue(isolation.prefix != null, () -> "network namespaces are impossible here: " + isolation.problem);
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var hps = Map.of("port", Integer.toString(server.getLocalPort()),
                    "server_pid", Long.toString(ProcessHandle.current().pid()));

            var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("escapes_isolation.sh").hyperParameters(hps)
                    .isolated().build()));

            String log = new String(backend.readLog(run.handle.toHandle(), 0, 10_000).bytes());
            assertThat(log).doesNotContain("escaped", "connected").contains("no escape");
            assertThat(run.last.result().status()).isEqualTo(Status.FAILED);
            if (JobUser.serverUid() == 0) assertThat(log).contains("CapEff:\t0000000000000000");
        }
    }
}
