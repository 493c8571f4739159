package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CategoricalParameterRange;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** Parallelism limits, the global cap, reproducibility by seed, Grid, and stopping. */
class SchedulingTest {
    @TempDir
    Path dir;

    @Test
    void neitherTheJobsParallelismNorTheGlobalCapIsEverExceeded() throws Exception {
        try (TestServer server = TestServer.start(dir, t -> t.withMaxConcurrentJobs(4))) {
            SageMakerClient sm = server.client();
            Map<String, String> slow = Map.of("SLEEP_SECONDS", "0.4");
            sm.createHyperParameterTuningJob(Requests.create("par-a", Requests.IMAGE, slow, 8, 3));
            sm.createHyperParameterTuningJob(Requests.create("par-b", Requests.IMAGE, slow, 8, 3));
            int maxA = 0, maxTotal = 0, samples = 0;
            while (!(done(sm, "par-a") && done(sm, "par-b"))) {
                // one listing is one consistent snapshot of every running job
                List<String> runningNow = sm.listTrainingJobs(r -> r.statusEquals("InProgress").maxResults(100))
                        .trainingJobSummaries().stream().map(j -> j.trainingJobName()).toList();
                int a = (int) runningNow.stream().filter(n -> n.startsWith("par-a-")).count();
                int b = (int) runningNow.stream().filter(n -> n.startsWith("par-b-")).count();
                maxA = Math.max(maxA, a);
                maxTotal = Math.max(maxTotal, a + b);
                assertThat(a).as("MaxParallelTrainingJobs of par-a").isLessThanOrEqualTo(3);
                assertThat(b).as("MaxParallelTrainingJobs of par-b").isLessThanOrEqualTo(3);
                assertThat(a + b).as("max-concurrent-training-jobs").isLessThanOrEqualTo(4);
                samples++;
                Thread.sleep(50);
            }
            assertThat(samples).isGreaterThan(5);
            assertThat(maxTotal).as("the cap was reached, so the test could have failed").isEqualTo(4);
            assertThat(Waits.terminal(sm, "par-a").trainingJobStatusCounters().completed()).isEqualTo(8);
            assertThat(Waits.terminal(sm, "par-b").trainingJobStatusCounters().completed()).isEqualTo(8);
        }
    }

    @Test
    void theSameRandomSeedGivesTheSameConfigurationsAndAnotherSeedOthers() {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            for (String name : List.of("seed-a", "seed-b", "seed-c")) {
                CreateHyperParameterTuningJobRequest r = Requests.create(name, Requests.IMAGE, Map.of(), 5, 2);
                int seed = name.equals("seed-c") ? 8 : 7;
                sm.createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(
                        r.hyperParameterTuningJobConfig().toBuilder().randomSeed(seed).build()).build());
            }
            List<String> a = configurations(sm, "seed-a");
            assertThat(a).hasSize(5).doesNotHaveDuplicates();
            assertThat(configurations(sm, "seed-b")).isEqualTo(a);
            assertThat(configurations(sm, "seed-c")).isNotEqualTo(a);
        }
    }

    @Test
    void gridRunsEveryCombinationExactlyOnce() {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            CreateHyperParameterTuningJobRequest r = Requests.create("grid", Requests.IMAGE, Map.of(), 1, 3);
            sm.createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(
                    r.hyperParameterTuningJobConfig().toBuilder().strategy("Grid")
                            .resourceLimits(l -> l.maxParallelTrainingJobs(3))
                            .parameterRanges(p -> p.categoricalParameterRanges(
                                    CategoricalParameterRange.builder().name("lr").values("0.01", "0.05", "0.09").build(),
                                    CategoricalParameterRange.builder().name("depth").values("2", "4").build()))
                            .build()).build());
            assertThat(Waits.terminal(sm, "grid").hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
            List<String> configurations = configurations(sm, "grid");
            assertThat(configurations).hasSize(6).doesNotHaveDuplicates();
            Set<String> expected = new HashSet<>();
            for (String lr : List.of("0.01", "0.05", "0.09"))
                for (String depth : List.of("2", "4")) expected.add("depth=" + depth + ",lr=" + lr);
            assertThat(new HashSet<>(configurations)).isEqualTo(expected);
            // the best is lr = 0.05 exactly: 1000 (0.05 - 0.05)^2 + 1
            assertThat(sm.describeHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("grid")).bestTrainingJob()
                    .tunedHyperParameters()).containsEntry("lr", "0.05");
        }
    }

    @Test
    void stoppingATuningJobStopsItsRunningJobsAndStartsNoMore() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            sm.createHyperParameterTuningJob(Requests.create("halt", Programs.image("sleeps.sh"), Map.of(), 10, 2));
            while (running(sm, "halt") < 2) Thread.sleep(50);
            sm.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("halt"));
            var d = Waits.terminal(sm, "halt");
            assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.STOPPED);
            assertThat(d.trainingJobStatusCounters().stopped()).isEqualTo(2);
            assertThat(jobs(sm, "halt")).hasSize(2).allMatch(j -> j.trainingJobStatus() == TrainingJobStatus.STOPPED);
        }
    }

    @Test
    void stopTrainingJobStopsOneJobAndTheTuningJobCarriesOn() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            sm.createHyperParameterTuningJob(Requests.create("one-off", Requests.IMAGE, Map.of("SLEEP_SECONDS", "3"), 3, 1));
            while (running(sm, "one-off") < 1) Thread.sleep(50);
            String first = jobs(sm, "one-off").get(0).trainingJobName();
            sm.stopTrainingJob(r -> r.trainingJobName(first));
            var d = Waits.terminal(sm, "one-off");
            assertThat(d.trainingJobStatusCounters().stopped()).isEqualTo(1);
            assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(2);
            var t = sm.describeTrainingJob(r -> r.trainingJobName(first));
            assertThat(t.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
            assertThat(t.secondaryStatusTransitions()).extracting(s -> s.statusAsString()).contains("Stopping", "Stopped");
        }
    }

    private static boolean done(SageMakerClient sm, String name) {
        return sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name)).hyperParameterTuningJobStatus()
                != HyperParameterTuningJobStatus.IN_PROGRESS;
    }

    static int running(SageMakerClient sm, String name) {
        return sm.listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name).statusEquals("InProgress")
                .maxResults(100)).trainingJobSummaries().size();
    }

    static List<HyperParameterTrainingJobSummary> jobs(SageMakerClient sm, String name) {
        return sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r.hyperParameterTuningJobName(name)
                .sortBy("CreationTime")).trainingJobSummaries().stream().toList();
    }

    /** Tuned hyperparameters of each job, in the order the jobs were decided. */
    static List<String> configurations(SageMakerClient sm, String name) {
        Waits.terminal(sm, name);
        List<HyperParameterTrainingJobSummary> jobs = new ArrayList<>(jobs(sm, name));
        jobs.sort(java.util.Comparator.comparing(HyperParameterTrainingJobSummary::trainingJobName));
        return jobs.stream().map(j -> new java.util.TreeMap<>(j.tunedHyperParameters()).toString()
                .replaceAll("[{} ]", "")).toList();
    }
}
