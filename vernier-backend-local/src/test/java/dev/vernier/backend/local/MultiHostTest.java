package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static dev.vernier.backend.local.TestJobs.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.wrapper.Wrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job of three hosts on the local backend: real processes, each host in namespaces of its own. */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class MultiHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    TestJobs jobs;

    @BeforeEach
    void hostsArePossibleHere() throws Exception {
        Assumptions.assumeTrue(HostNamespaces.detect().prefix != null, () -> HostNamespaces.detect().problem);
        jobs = new TestJobs(tmp);
        Path bucket = jobs.store.root().resolve("data");
        for (int i = 0; i < 7; i++) write(bucket.resolve("train/part-" + i + ".csv"), "row " + i);
        write(bucket.resolve("eval/a.csv"), "a");
        write(bucket.resolve("eval/b.csv"), "b");
    }

    @Test
    void three_hosts_reach_each_other_by_name_each_with_its_shard_and_the_job_completes() throws Exception {
        var backend = jobs.backend();
        var spec = spec(Map.of("port", "47301")).build();

        var run = pollUntil(backend, TestJobs.launch(backend, spec), Duration.ofSeconds(120), r -> false);

        assertThat(run.last.result().status()).as(log(run.handle)).isEqualTo(Status.COMPLETED);
        String log = log(run.handle);
        for (String host : List.of("algo-1", "algo-2", "algo-3"))
            assertThat(log).contains("host " + host + " of ['algo-1', 'algo-2', 'algo-3']");
        assertThat(log.lines().filter(l -> l.startsWith("reached "))).hasSize(6);
        assertThat(log.lines().filter(l -> l.startsWith("heard from "))).containsExactlyInAnyOrder(
                "heard from algo-2,algo-3", "heard from algo-1,algo-3", "heard from algo-1,algo-2");
        assertThat(run.values("loss")).containsExactlyInAnyOrder(0.0, 1.0, 2.0);   // every host's lines are parsed
        // confined as a job of one host is: the job user without capabilities (when the server is root), the job's cgroup
        var identities = log.lines().filter(l -> l.startsWith("identity of ")).toList();
        assertThat(identities).hasSize(3);
        if (JobUser.serverUid() == 0)
            assertThat(identities).allSatisfy(l -> assertThat(l).doesNotContain("uid=0 ").contains("capeff=0000000000000000"));
        if (JobCgroups.detect().available())
            assertThat(identities).allSatisfy(l -> assertThat(l).contains("/vernier-" + spec.trainingJobName() + "-"));

        Map<String, byte[]> model = dev.vernier.testkit.training.TarEntries.files(jobs.store.root().resolve("models/out/" + spec.trainingJobName() + "/output/model.tar.gz"));
        assertThat(new String(model.get("written-by"))).isEqualTo("algo-1");   // a path several hosts wrote is algo-1's
        var shards = List.of(List.of("part-0.csv", "part-3.csv", "part-6.csv"), List.of("part-1.csv", "part-4.csv"),
                List.of("part-2.csv", "part-5.csv"));
        for (int k = 1; k <= 3; k++) {
            var seen = JSON.readTree(model.get("algo-" + k + ".json"));
            assertThat(JSON.convertValue(seen.get("train"), List.class)).as("algo-" + k).isEqualTo(shards.get(k - 1));
            assertThat(JSON.convertValue(seen.get("eval"), List.class)).as("algo-" + k).isEqualTo(List.of("a.csv", "b.csv"));
            var host = HostDirectories.of(new JobDirectory(Path.of(run.handle.jobDir())), "algo-" + k);
            assertThat(Files.readString(host.log())).contains("heard from");   // each host's own log too
        }
    }

    @Test
    void one_host_failing_fails_the_job_and_stops_the_others() throws Exception {
        var backend = jobs.backend();
        var spec = spec(Map.of("port", "47302", "fail_host", "algo-2")).build();

        var run = pollUntil(backend, TestJobs.launch(backend, spec), Duration.ofSeconds(120), r -> false);

        assertThat(run.last.result().status()).isEqualTo(Status.FAILED);
        assertThat(run.last.result().failureReason()).isEqualTo("host algo-2: broken on algo-2");
        var job = new JobDirectory(Path.of(run.handle.jobDir()));
        assertThat(Wrapper.readExit(HostDirectories.of(job, "algo-2")).code()).isEqualTo(3);
        for (String other : List.of("algo-1", "algo-3")) {   // waiting forever, they were stopped by SIGTERM
            assertThat(Wrapper.readExit(HostDirectories.of(job, other)).code()).as(other).isEqualTo(143);
            long pid = Long.parseLong(Files.readString(HostDirectories.of(job, other).state(Wrapper.PID)).strip());
            StoppingTest.awaitGone(pid);
        }
        assertThat(StoppingTest.groupMembers(run.handle.pid())).isZero();
    }

    @Test
    void hosts_that_ignore_sigterm_after_one_failed_are_killed_after_the_grace_period() throws Exception {
        var backend = jobs.backend();   // grace period 1 s
        var spec = spec(Map.of("port", "47304", "fail_host", "algo-1", "ignore_term", "true")).build();

        var run = pollUntil(backend, TestJobs.launch(backend, spec), Duration.ofSeconds(120), r -> false);

        assertThat(run.last.result().status()).isEqualTo(Status.FAILED);
        assertThat(run.last.result().failureReason()).isEqualTo("host algo-1: broken on algo-1");
        var job = new JobDirectory(Path.of(run.handle.jobDir()));
        for (String other : List.of("algo-2", "algo-3")) {
            long pid = Long.parseLong(Files.readString(HostDirectories.of(job, other).state(Wrapper.PID)).strip());
            StoppingTest.awaitGone(pid);
        }
        assertThat(StoppingTest.groupMembers(run.handle.pid())).isZero();
    }

    @Test
    void max_runtime_stops_every_host() throws Exception {
        var backend = jobs.backend();
        var spec = spec(Map.of("port", "47305", "fail_host", "nobody")).maxRuntime(2).build();

        var run = pollUntil(backend, TestJobs.launch(backend, spec), Duration.ofSeconds(120), r -> false);

        assertThat(run.last.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.last.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        var job = new JobDirectory(Path.of(run.handle.jobDir()));
        for (String host : List.of("algo-1", "algo-2", "algo-3"))
            assertThat(Wrapper.readExit(HostDirectories.of(job, host)).code()).as(host).isEqualTo(143);
    }

    @Test
    void a_stop_stops_every_host_and_a_new_backend_picks_the_job_up() throws Exception {
        var first = jobs.backend();
        var spec = spec(Map.of("port", "47303", "fail_host", "nobody")).build();   // every host waits
        LocalRun handle = TestJobs.launch(first, spec);
        var job = new JobDirectory(Path.of(handle.jobDir()));
        pollUntil(first, handle, Duration.ofSeconds(60), r -> Files.exists(HostDirectories.of(job, "algo-3").state(Wrapper.PID)));

        var restarted = jobs.backend();   // as after a server restart: it knows the job by its handle only
        assertThat(TestJobs.poll(restarted, handle).phase()).isEqualTo(Phase.RUNNING);
        var run = pollToEnd(restarted, TestJobs.stop(restarted, handle, StopCause.USER_REQUEST));

        assertThat(run.last.result().status()).isEqualTo(Status.STOPPED);
        for (String host : List.of("algo-1", "algo-2", "algo-3"))
            assertThat(Wrapper.readExit(HostDirectories.of(job, host)).code()).as(host).isEqualTo(143);
        assertThat(StoppingTest.groupMembers(handle.pid())).isZero();
    }

    @Test
    void what_several_hosts_cannot_do_yet_is_refused_at_check() throws Exception {
        var backend = jobs.backend();
        var isolated = spec(Map.of()).isolated().build();

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> backend.check(isolated)))
                .hasMessageContaining("EnableNetworkIsolation with InstanceCount > 1 is not supported by the local backend yet");
    }

    private TestJobs.SpecBuilder spec(Map<String, String> hyperParameters) throws Exception {
        return jobs.spec("multihost.py").instanceCount(3).hyperParameters(hyperParameters).channels(
                new InputChannel("train", "s3://data/train/", null, "ShardedByS3Key", null, null, null, null),
                InputChannel.of("eval", "s3://data/eval/"));
    }

    private static String log(LocalRun handle) throws Exception {
        return Files.readString(new JobDirectory(Path.of(handle.jobDir())).log());
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
