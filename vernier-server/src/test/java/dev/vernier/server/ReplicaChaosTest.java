package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * Three server processes on one PostgreSQL database and data directory (the local backend), one
 * tuning job of 60 training jobs, 4 at a time; at random moments the server that drives it is
 * killed with SIGKILL (and started again) or paused with SIGSTOP for 30 s. Another server must take
 * the job within 10 s of its lease expiring, and in the end every training job was launched once,
 * the counters equal the listed jobs, and no training process is left.
 */
@Tag("postgresql")
class ReplicaChaosTest {
    private static final String TUNING = "chaos";
    private static final int JOBS = 60;
    private static final int PARALLEL = 4;
    /** Lease of 15 s: 5 s of renewal period, then expiry; takeover must follow within 10 s of expiry. */
    private static final long MAX_TAKEOVER_AFTER_EXPIRY_MILLIS = 10_000;

    @TempDir
    Path dir;
    private Replicas replicas;

    @AfterEach
    void stop() {
        if (replicas != null) replicas.close();
        CrashRecoveryTest.killProcessGroupsUnder(dir);
    }

    @Test
    void twoKillsOfTheDrivingReplica() throws Exception {
        chaos(2, false, "0.2");
    }

    /**
     * The full run: ten kills or pauses. Each costs up to a lease (15 s) and a pause 30 s more, so the
     * training jobs run 5 epochs of 6 s (15 rounds of 30 s): the tuning job outlasts all ten, which the
     * test checks. About ten minutes, so in the soak profile.
     */
    @Test
    @Tag("soak")
    void tenKillsAndPausesOfTheDrivingReplica() throws Exception {
        int done = chaos(10, true, "6");
        assertThat(done).as("disruptions before the tuning job ended").isEqualTo(10);
    }

    /** Runs the tuning job through {@code disruptions} kills (or pauses); answers how many happened before it ended. */
    private int chaos(int disruptions, boolean pauses, String epochSeconds) throws Exception {
        long seed = Long.getLong("vernier.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        replicas = new Replicas(dir, 3, "--stop-grace-seconds", "2");
        Path runs = TestServer.fileEveryProgramCanAppendTo(dir.resolve("runs.txt"));
        replicas.servers.get(0).client().createHyperParameterTuningJob(Requests.create(TUNING,
                Programs.image("five_epochs.sh"), Map.of("RUNS_FILE", runs.toString(), "EPOCH_SECONDS", epochSeconds),
                JOBS, PARALLEL));
        List<Long> takeovers = new ArrayList<>();
        int kills = 0, stops = 0;
        for (int i = 0; i < disruptions; i++) {
            Thread.sleep(500 + random.nextInt(3_000));   // a random moment
            Replicas.StoredLease lease = replicas.awaitOwner(TUNING, 30_000);
            int owner = replicas.indexOf(lease.pid());
            assertThat(owner).as("the owner %s is one of the servers", lease.owner()).isNotNegative();
            ServerProcess victim = replicas.servers.get(owner);
            boolean pause = pauses && random.nextBoolean();
            long at = System.currentTimeMillis();
            if (pause) victim.signal("STOP");
            else victim.kill();
            // the last renewal before the disruption: the lease now expires at its stored time
            Replicas.StoredLease frozen = replicas.lease(TUNING).orElseThrow();
            if (!frozen.owner().equals(lease.owner())) frozen = lease;
            if (terminal(replicas.servers.get((owner + 1) % 3).client())) break;   // it had just finished: nothing to take over
            Replicas.StoredLease next = replicas.awaitOwnerOtherThan(TUNING, lease.owner(), 60_000);
            long takeover = System.currentTimeMillis() - frozen.expiresAtMillis();
            takeovers.add(takeover);
            assertThat(next.fence()).isGreaterThan(lease.fence());
            assertThat(takeover).as("ms after the lease expired until another server took it").isLessThan(MAX_TAKEOVER_AFTER_EXPIRY_MILLIS);
            if (pause) {
                stops++;
                Thread.sleep(Math.max(0, 30_000 - (System.currentTimeMillis() - at)));
                victim.signal("CONT");   // wakes up with a lease that is no longer its own
            } else {
                kills++;
                replicas.restart(owner);
            }
            if (terminal(replicas.servers.get((owner + 1) % 3).client())) break;
        }
        SageMakerClient sm = replicas.servers.get(0).alive() ? replicas.servers.get(0).client() : replicas.servers.get(1).client();
        DescribeHyperParameterTuningJobResponse d = Waits.until(sm, TUNING, Duration.ofMinutes(5),
                Set.of(HyperParameterTuningJobStatus.COMPLETED, HyperParameterTuningJobStatus.FAILED,
                        HyperParameterTuningJobStatus.STOPPED));
        List<HyperParameterTrainingJobSummary> jobs = sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                .hyperParameterTuningJobName(TUNING).sortBy("Name")).trainingJobSummaries().stream().toList();
        Map<String, Long> runsPerJob = Files.readAllLines(runs).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        List<Long> sorted = takeovers.stream().sorted().toList();
        System.out.printf("chaos (seed %d): %d kills, %d pauses; takeover after lease expiry median %d ms, max %d ms (%s);"
                        + " %d training processes started for %d listed jobs (%d retried)%n", seed, kills, stops,
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? -1 : sorted.getLast(), takeovers,
                runsPerJob.values().stream().mapToLong(Long::longValue).sum(), jobs.size(), d.trainingJobStatusCounters().retryableError());

        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        var c = d.trainingJobStatusCounters();
        assertThat(c.completed() + c.nonRetryableError() + c.stopped()).as("counted jobs").isEqualTo(JOBS);
        assertThat(c.inProgress()).isZero();
        assertThat(jobs).hasSize(JOBS + c.retryableError());
        assertThat(jobs.stream().filter(j -> j.trainingJobStatus() == TrainingJobStatus.COMPLETED).count())
                .as("completed counter = completed jobs listed").isEqualTo((long) c.completed());
        assertThat(jobs.stream().filter(j -> j.trainingJobStatus() == TrainingJobStatus.STOPPED).count())
                .as("stopped counter = stopped jobs listed").isEqualTo((long) c.stopped());
        assertThat(jobs.stream().map(HyperParameterTrainingJobSummary::tunedHyperParameters).distinct().count())
                .as("configurations").isEqualTo(JOBS);
        assertThat(runsPerJob.values()).as("training processes per job " + runsPerJob).allMatch(n -> n == 1);
        assertThat(runsPerJob.keySet()).isSubsetOf(jobs.stream().map(HyperParameterTrainingJobSummary::trainingJobName).toList());
        for (HyperParameterTrainingJobSummary j : jobs)
            if (j.trainingJobStatus() == TrainingJobStatus.COMPLETED) assertThat(runsPerJob).containsKey(j.trainingJobName());
        assertThat(CrashRecoveryTest.jobsWithLiveProcesses(replicas.data.resolve("jobs"))).as("orphans").isEmpty();
        return kills + stops;
    }

    private static boolean terminal(SageMakerClient sm) {
        try {
            var status = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(TUNING)).hyperParameterTuningJobStatus();
            return status != HyperParameterTuningJobStatus.IN_PROGRESS && status != HyperParameterTuningJobStatus.STOPPING;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
