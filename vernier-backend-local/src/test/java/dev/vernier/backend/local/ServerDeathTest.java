package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.training.hosts.HostNamespaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The server that launched a job is killed with SIGKILL; the job lives on and another server picks it up. */
@ExtendWith(KillsLeftoverJobs.class)
class ServerDeathTest {
    @TempDir Path tmp;

    @Test
    void a_job_survives_the_kill_9_of_its_server_and_is_readopted_by_the_next_one() throws Exception {
        var jobs = new TestJobs(tmp);
        LocalRun stored = launchAndDie(jobs, "job-survives", 1);

        assertThat(LinuxProcesses.isAlive(stored.pid(), stored.processStartTicks())).as("job outlives its server").isTrue();
        assertThat(stored.logOffset()).isPositive();
        Files.createFile(Path.of(stored.jobDir(), "go"));
        var run = pollToEnd(jobs.backend(), stored);

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("loss")).containsExactly(4.5, 5.5, 6.5);   // 1.5..3.5 went to the first server
    }

    @Test
    void every_host_of_a_job_survives_the_kill_9_of_its_server_and_the_next_one_readopts_them() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HostNamespaces.detect().prefix != null, () -> HostNamespaces.detect().problem);
        var jobs = new TestJobs(tmp);
        LocalRun stored = launchAndDie(jobs, "hosts-survive", 3);

        assertThat(LinuxProcesses.isAlive(stored.pid(), stored.processStartTicks())).as("job outlives its server").isTrue();
        var job = new dev.vernier.training.jobdir.JobDirectory(Path.of(stored.jobDir()));
        for (int k = 1; k <= 3; k++) Files.createFile(dev.vernier.training.jobdir.HostDirectories.of(job, "algo-" + k).root().resolve("go"));
        var run = pollToEnd(jobs.backend(), stored);

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("loss")).containsExactlyInAnyOrder(4.5, 4.5, 4.5, 5.5, 5.5, 5.5, 6.5, 6.5, 6.5);
    }

    /** Launches {@code waits_for_go.sh} in a server of its own, which dies (SIGKILL) once it has seen its first points. */
    private LocalRun launchAndDie(TestJobs jobs, String name, int hosts) throws Exception {
        Path program = jobs.program("waits_for_go.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ServerThatDies.class.getName(), tmp.toString(), name, program.toString(), Integer.toString(3 * hosts),
                Integer.toString(hosts))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LocalRun stored;
        try (var out = new BufferedReader(new InputStreamReader(server.getInputStream()))) {
            String line = out.readLine();
            assertThat(line).as("the first server's handle").startsWith("HANDLE ");
            stored = LocalRun.fromJson(line.substring("HANDLE ".length()));
        } finally {
            server.destroyForcibly();   // SIGKILL, as in a crash
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        return stored;
    }
}
