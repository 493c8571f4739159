package dev.vernier.service.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.core.tuning.reconcile.Decisions;
import dev.vernier.core.tuning.reconcile.NewTrainingJob;
import dev.vernier.core.tuning.reconcile.Reconciler;
import dev.vernier.core.tuning.reconcile.TuningState;
import dev.vernier.testkit.TestPlans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The controller's decisions as a pure function of a tuning job's state: no store, no backend, no threads. */
class ReconcilerTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final TuningPlan PLAN = TestPlans.plan("t").jobs(4, 2).continuous("lr", 0.01, 0.1).seed(7).build();

    private static TuningJob tuning(TuningJobStatus status) {
        TuningJob job = TuningJob.created("t", "arn:t", "Random", T0, "{}");
        return status == TuningJobStatus.IN_PROGRESS ? job : job.moveTo(status, T0, null);
    }

    private static TrainingJob job(int ordinal) {
        return TrainingJob.starting("t-" + String.format("%03d", ordinal) + "-00000000", "arn:" + ordinal, "t", ordinal,
                null, Map.of("lr", "0.05"), Map.of("lr", "0.05"), null, "{}", T0);
    }

    private static TrainingJob running(int ordinal) {
        return job(ordinal).launched(new RunHandle("h" + ordinal), T0);
    }

    private static TrainingJob completed(int ordinal, double loss) {
        return running(ordinal).finished(TrainingJobStatus.COMPLETED, "Completed", null, false, new RunHandle("h"),
                List.of(new MetricValue("loss", loss, T0)), loss, "s3://b/m", T0.plusSeconds(ordinal), 1L, "done");
    }

    private static TrainingJob failed(int ordinal, boolean retryable) {
        return running(ordinal).finished(TrainingJobStatus.FAILED, "Failed", "AlgorithmError: exit 1", retryable,
                new RunHandle("h"), List.of(), null, null, T0.plusSeconds(ordinal), 1L, "failed");
    }

    private static Decisions decide(TuningJob tuning, TuningPlan plan, List<TrainingJob> jobs) {
        return decide(tuning, plan, jobs, Map.of(), Map.of(), 8, T0.plusSeconds(60));
    }

    private static Decisions decide(TuningJob tuning, TuningPlan plan, List<TrainingJob> jobs,
                                    Map<String, List<Double>> series, Map<String, Integer> judged, int freeSlots, Instant now) {
        return Reconciler.decide(new TuningState(tuning, plan, TuningProgress.of(jobs), List.of(), series, Map.of(),
                judged, freeSlots, now));
    }

    @Test
    void aNewJobGetsAsManyProposalsAsItMayRunInParallelAndTheSameStateGivesTheSameDecisions() {
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of());
        assertThat(d.newJobs()).extracting(NewTrainingJob::ordinal).containsExactly(1, 2);
        assertThat(d.end()).isNull();
        assertThat(decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of())).isEqualTo(d);
    }

    @Test
    void theServersFreeSlotsLimitTheProposals() {
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of(), Map.of(), Map.of(), 1, T0);
        assertThat(d.newJobs()).hasSize(1);
        assertThat(decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of(), Map.of(), Map.of(), 0, T0).isEmpty()).isTrue();
    }

    @Test
    void anInternalFailureIsRetriedFirstWithTheSameHyperparameters() {
        TrainingJob vanished = failed(1, true);
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of(vanished, running(2)));
        assertThat(d.newJobs()).singleElement().satisfies(n -> {
            assertThat(n.retryOf()).isEqualTo(vanished.name());
            assertThat(n.ordinal()).isEqualTo(3);
            assertThat(n.tunedHyperParameters()).isEqualTo(vanished.tunedHyperParameters());
        });
    }

    @Test
    void theJobCompletesOnceItsBudgetIsSpentAndNothingRuns() {
        List<TrainingJob> jobs = List.of(completed(1, 0.5), completed(2, 0.4), failed(3, false), completed(4, 0.3));
        assertThat(decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, jobs).end())
                .isEqualTo(new Decisions.End(TuningJobStatus.COMPLETED, null));
    }

    @Test
    void aJobWhoseFirstThreeTrainingJobsFailFailsAtOnceSayingWhy() {
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), PLAN, List.of(failed(1, false), failed(2, false),
                failed(3, false), running(4)));
        assertThat(d.end().status()).isEqualTo(TuningJobStatus.FAILED);
        assertThat(d.end().failureReason()).startsWith("The first 3 training jobs failed; the last one (t-003-00000000)")
                .endsWith("failed with: AlgorithmError: exit 1");
    }

    private static TrainingJob silent(int ordinal) {
        return running(ordinal).finished(TrainingJobStatus.COMPLETED, "Completed", null, false, new RunHandle("h"),
                List.of(), null, "s3://b/m", T0.plusSeconds(ordinal), 1L, "done");
    }

    @Test
    void aJobWhoseFirstThreeTrainingJobsGiveNoObjectiveFailsAtOnceNamingTheMetricAndItsRegex() {
        TuningPlan plan = TestPlans.plan("t").jobs(12, 1).continuous("lr", 0.01, 0.1).seed(7).build();
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), plan, List.of(silent(1), failed(2, false), silent(3)));
        String objective = plan.definition(null).objectiveMetric();
        String regex = plan.definition(null).metricDefinitions().stream().filter(m -> m.name().equals(objective))
                .findFirst().orElseThrow().regex();
        assertThat(d.end().status()).isEqualTo(TuningJobStatus.FAILED);
        assertThat(d.end().failureReason()).isEqualTo("The first 3 training jobs ended without a value of the objective "
                + "metric '" + objective + "': no line of their output matched its regex '" + regex
                + "' (the last of them: t-003-00000000).");
        assertThat(d.end().silentJob()).isEqualTo("t-003-00000000");
        assertThat(d.end().objectiveRegex()).isEqualTo(regex);
        assertThat(d.newJobs()).isEmpty();
    }

    @Test
    void whenTheBudgetIsSpentWithoutAnObjectiveTheReasonNeverSaysNull() {
        Decisions spent = decide(tuning(TuningJobStatus.IN_PROGRESS),
                TestPlans.plan("t").jobs(2, 2).continuous("lr", 0.01, 0.1).seed(7).build(), List.of(failed(1, false), silent(2)));
        assertThat(spent.end().failureReason()).doesNotContain("null").contains("objective metric");
    }

    @Test
    void aStoppingJobIsStoppedOnceNoneOfItsTrainingJobsRuns() {
        assertThat(decide(tuning(TuningJobStatus.STOPPING), PLAN, List.of(running(1))).isEmpty()).isTrue();
        assertThat(decide(tuning(TuningJobStatus.STOPPING), PLAN, List.of(completed(1, 0.2))).end().status())
                .isEqualTo(TuningJobStatus.STOPPED);
    }

    @Test
    void theRuntimeLimitFinishesTheJobStopsWhatRunsAndCompletesItOnceNothingRuns() {
        TuningPlan limited = new TuningPlan(PLAN.tuningJobName(), PLAN.strategy(), PLAN.goal(), PLAN.maxTrainingJobs(),
                PLAN.maxParallelTrainingJobs(), PLAN.seed(), PLAN.space(), PLAN.definitions(), PLAN.completion(), 30,
                false, null, null);
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), limited, List.of(completed(1, 0.2), running(2)));
        assertThat(d.finishing()).isEqualTo("ResourceLimits.MaxRuntimeInSeconds (30 s) reached");
        assertThat(d.stopRequests()).containsExactly("t-002-00000000");
        assertThat(d.newJobs()).isEmpty();
        assertThat(d.end()).isNull();
        TuningJob finishing = tuning(TuningJobStatus.IN_PROGRESS).finishing(d.finishing());
        assertThat(decide(finishing, limited, List.of(completed(1, 0.2), completed(2, 0.1))).end().status())
                .isEqualTo(TuningJobStatus.COMPLETED);
    }

    @Test
    void earlyStoppingStopsAJobBehindTheMedianOnceAndRemembersWhatItJudged() {
        TuningPlan auto = new TuningPlan(PLAN.tuningJobName(), PLAN.strategy(), PLAN.goal(), 10, 1, PLAN.seed(),
                PLAN.space(), PLAN.definitions(), PLAN.completion(), 0, true, null, null);
        List<TrainingJob> jobs = new ArrayList<>(List.of(completed(1, 0.1), completed(2, 0.1), completed(3, 0.1), running(4)));
        Map<String, List<Double>> series = Map.of(
                jobs.get(0).name(), List.of(1.0, 0.5, 0.2, 0.1), jobs.get(1).name(), List.of(1.0, 0.5, 0.2, 0.1),
                jobs.get(2).name(), List.of(1.0, 0.5, 0.2, 0.1), jobs.get(3).name(), List.of(1.0, 0.9, 0.9, 0.9));
        Decisions d = decide(tuning(TuningJobStatus.IN_PROGRESS), auto, jobs, series, Map.of(), 8, T0);
        assertThat(d.jobDecisions()).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo(JobDecision.Kind.EARLY_STOPPING);
            assertThat(j.step()).isEqualTo(4);
            assertThat(j.trainingJobName()).isEqualTo(jobs.get(3).name());
        });
        assertThat(d.judgedSteps()).containsEntry(jobs.get(3).name(), 4);
        Decisions again = decide(tuning(TuningJobStatus.IN_PROGRESS), auto, jobs, series, d.judgedSteps(), 8, T0);
        assertThat(again.jobDecisions()).as("a step is judged once").isEmpty();
    }
}
