package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * The crash test on the Slurm backend: a 20-job tuning job, 4 in parallel, its server SIGKILLed
 * five times, each time just as a new training job appears (when its submission is most likely
 * in flight), and started again on the same data directory. Every training job is submitted to
 * Slurm exactly once (Slurm's own job list, by name), runs once, and keeps every metric.
 */
class SlurmCrashRecoveryTest {
    private static final String TUNING = "slurm-crash";
    private static final int JOBS = 20;
    private static final int PARALLEL = 4;
    private static final int KILLS = 5;

    @TempDir
    Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        servers.forEach(ServerProcess::close);
        SlurmJobs.cancelUnder(dir);
    }

    @Test
    void aTuningJobOnSlurmSurvivesKillDashNineWithEveryJobSubmittedOnceAndEveryMetricKept() throws Exception {
        SlurmJobs.requireCluster();
        Path data = dir.resolve("data");
        Path runs = dir.resolve("runs.txt");
        Path output = dir.resolve("server.out");
        ServerProcess server = start(data, output);
        server.client().createHyperParameterTuningJob(Requests.create(TUNING, Programs.image("five_epochs.sh"),
                Map.of("RUNS_FILE", runs.toString(), "EPOCH_SECONDS", "0.3"), JOBS, PARALLEL));

        for (int kill = 1; kill <= KILLS; kill++) {
            awaitANewTrainingJob(server.client(), kill * JOBS / (KILLS + 1));
            server.kill();
            server = start(data, output);
        }

        SageMakerClient sm = server.client();
        var d = Waits.until(sm, TUNING, Duration.ofSeconds(300), Set.of(HyperParameterTuningJobStatus.COMPLETED,
                HyperParameterTuningJobStatus.FAILED, HyperParameterTuningJobStatus.STOPPED));
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        var counters = d.trainingJobStatusCounters();
        assertThat(counters.completed() + counters.nonRetryableError() + counters.stopped()).isEqualTo(JOBS);
        List<HyperParameterTrainingJobSummary> jobs = sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                .hyperParameterTuningJobName(TUNING).sortBy("Name")).trainingJobSummaries().stream().toList();
        assertThat(jobs).hasSize(JOBS + counters.retryableError());

        Map<String, Long> submissions = SlurmJobs.jobsUnder(data).stream()
                .collect(Collectors.groupingBy(j -> j[1], Collectors.counting()));
        long adopted = java.nio.file.Files.readString(output).lines().filter(l -> l.contains("adopted Slurm job")).count();
        System.out.printf("slurm crash test: %d training jobs, %d Slurm jobs, %d submissions adopted after a kill, "
                + "counters %s%n", jobs.size(), submissions.values().stream().mapToLong(Long::longValue).sum(), adopted,
                counters);
        assertThat(submissions).as("Slurm jobs per training job").hasSize(jobs.size()).allSatisfy((name, n) ->
                assertThat(n).as(name).isOne());
        assertThat(submissions.keySet()).containsExactlyInAnyOrderElementsOf(
                jobs.stream().map(HyperParameterTrainingJobSummary::trainingJobName).toList());
        CrashRecoveryTest.noJobRanTwice(jobs, runs);

        RawClient raw = new RawClient(server.endpoint());
        Map<String, List<Double>> printed = new HashMap<>();
        for (HyperParameterTrainingJobSummary j : jobs)
            if (j.trainingJobStatus() == TrainingJobStatus.COMPLETED)
                printed.put(j.trainingJobName(), CrashRecoveryTest.logIsWhole(raw, j.trainingJobName()));
        assertThat(printed).hasSize(counters.completed());
        server.close();
        CrashRecoveryTest.everyCompletedJobHasExactlyItsPrintedPointsStored(data.resolve("vernier.db"), printed);
    }

    private ServerProcess start(Path data, Path output) {
        ServerProcess server = ServerProcess.start(data, output, "--backend", "slurm", "--stop-grace-seconds", "2");
        servers.add(server);
        return server;
    }

    /** Waits until at least {@code atLeast} training jobs exist, then for the next one to appear. */
    private static void awaitANewTrainingJob(SageMakerClient sm, int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        int seen = -1;
        while (Instant.now().isBefore(deadline)) {
            int now = sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r.hyperParameterTuningJobName(TUNING))
                    .trainingJobSummaries().stream().toList().size();
            if (now >= JOBS) return;
            if (seen >= atLeast && now > seen) return;
            seen = now;
            Thread.sleep(5);
        }
        throw new AssertionError("no new training job within 120 s");
    }
}
