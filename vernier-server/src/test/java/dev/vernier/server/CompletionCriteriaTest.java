package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobConfig;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** TuningJobCompletionCriteria and ResourceLimits.MaxRuntimeInSeconds end tuning jobs early, with real programs. */
class CompletionCriteriaTest {
    @TempDir
    static Path dir;
    static final MovableClock clock = new MovableClock();
    static TestServer server;
    static SageMakerClient sm;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, clock);
        sm = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CreateHyperParameterTuningJobRequest create(String name, Map<String, String> env, int maxJobs, int parallel,
                                                       UnaryOperator<HyperParameterTuningJobConfig.Builder> config) {
        CreateHyperParameterTuningJobRequest r = Requests.create(name, Requests.IMAGE, env, maxJobs, parallel);
        return r.toBuilder().hyperParameterTuningJobConfig(
                config.apply(r.hyperParameterTuningJobConfig().toBuilder().randomSeed(7)).build()).build();
    }

    static List<HyperParameterTrainingJobSummary> jobs(String name) {
        return sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r.hyperParameterTuningJobName(name))
                .trainingJobSummaries().stream().toList();
    }

    @Test
    void aReachedTargetObjectiveCompletesTheTuningJobLongBeforeItsBudget() {
        sm.createHyperParameterTuningJob(create("target", Map.of(), 40, 2,
                c -> c.tuningJobCompletionCriteria(t -> t.targetObjectiveMetricValue(1.5f))));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(sm, "target");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()).isLessThanOrEqualTo(1.5f);
        assertThat(jobs("target").size()).isLessThan(40);
        assertThat(d.tuningJobCompletionDetails().numberOfTrainingJobsObjectiveNotImproving()).isNotNull();
    }

    @Test
    void jobsThatStopImprovingByOnePercentCompleteTheTuningJobAndAreCounted() {
        sm.createHyperParameterTuningJob(create("plateau", Map.of(), 60, 1,
                c -> c.tuningJobCompletionCriteria(t -> t.bestObjectiveNotImproving(b -> b.maxNumberOfTrainingJobsNotImproving(3)))));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(sm, "plateau");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.tuningJobCompletionDetails().numberOfTrainingJobsObjectiveNotImproving()).isEqualTo(3);
        List<HyperParameterTrainingJobSummary> jobs = jobs("plateau");
        assertThat(jobs.size()).isLessThan(60);
        // the last three did not beat the best before them by 1%
        List<Float> values = jobs.stream().map(j -> j.finalHyperParameterTuningJobObjectiveMetric().value()).toList();
        float bestBefore = values.subList(0, values.size() - 3).stream().min(Float::compare).orElseThrow();
        for (float v : values.subList(values.size() - 3, values.size())) assertThat(bestBefore - v).isLessThan(0.01f * bestBefore);
    }

    @Test
    void convergenceCompletesTheTuningJobAndReportsWhenItWasDetected() {
        sm.createHyperParameterTuningJob(create("converge", Map.of(), 80, 3,
                c -> c.tuningJobCompletionCriteria(t -> t.convergenceDetected(v -> v.completeOnConvergence("Enabled")))));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(sm, "converge");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.tuningJobCompletionDetails().convergenceDetectedTime()).isNotNull()
                .isBeforeOrEqualTo(d.hyperParameterTuningEndTime());
        assertThat(jobs("converge").size()).isBetween(10, 79);
    }

    @Test
    void maxRuntimeEndsTheTuningJobAndStopsItsRunningTrainingJobs() {
        sm.createHyperParameterTuningJob(create("deadline", Map.of("EPOCHS", "100", "SLEEP_SECONDS", "0.2"), 10, 2,
                c -> c.resourceLimits(l -> l.maxNumberOfTrainingJobs(10).maxParallelTrainingJobs(2).maxRuntimeInSeconds(120))));
        Waits.until(sm, "deadline", Duration.ofSeconds(30), Set.of(HyperParameterTuningJobStatus.IN_PROGRESS));
        // wait until both jobs have printed an objective, then let 120 s pass
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && !(jobs("deadline").size() == 2 && jobs("deadline").stream().allMatch(j ->
                !sm.describeTrainingJob(r -> r.trainingJobName(j.trainingJobName())).finalMetricDataList().isEmpty())))
            sleep(100);
        clock.advance(Duration.ofSeconds(121));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(sm, "deadline");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        long end = System.nanoTime() + 20_000_000_000L;
        while (jobs("deadline").stream().anyMatch(j -> j.trainingJobStatus() == TrainingJobStatus.IN_PROGRESS
                || j.trainingJobStatus() == TrainingJobStatus.STOPPING) && System.nanoTime() < end) sleep(100);
        assertThat(jobs("deadline")).hasSize(2).allMatch(j -> j.trainingJobStatus() == TrainingJobStatus.STOPPED);
        assertThat(sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("deadline")).bestTrainingJob()).isNotNull();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
