package dev.vernier.core.tuning.reconcile;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategies.Strategies;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controller's decisions for one tuning job, recounted from its state on every pass.
 *
 * <p>When a tuning job ends: Completed once MaxNumberOfTrainingJobs counted jobs have finished (or
 * the strategy has nothing left to propose) and at least one produced the objective; Failed when none
 * did, or as soon as the first {@value #FAIL_FAST_JOBS} counted jobs (fewer when the budget is
 * smaller) all ended with no objective (failed for non-internal reasons, or completed without a line
 * that the objective's regex matches), which saves running a broken training program, or one whose
 * metric definition never matches, again and again. The reason names the metric and its regex. A completion criterion or ResourceLimits.MaxRuntimeInSeconds
 * ends it earlier: the finishing reason is stored, running jobs are asked to stop, and it completes
 * once none runs. A Stopping job is Stopped once none of its jobs runs.
 *
 * <p>Otherwise the stopping rule judges the running jobs, failed jobs that failed for an internal
 * reason are retried (up to the definition's retry limit) and the strategy proposes new jobs for the
 * free slots: up to MaxParallelTrainingJobs running per tuning job, and the server's free slots.
 */
public final class Reconciler {
    static final int FAIL_FAST_JOBS = 3;

    private Reconciler() {}

    public static Decisions decide(TuningState s) {
        TuningJob job = s.job();
        TuningPlan plan = s.plan();
        TuningProgress progress = s.progress();
        if (!Strategies.has(plan.strategy()))
            return Decisions.end(job.status() == TuningJobStatus.STOPPING ? TuningJobStatus.STOPPED : TuningJobStatus.FAILED,
                    "Strategy " + plan.strategy() + " is not supported by Vernier yet; use Bayesian, Random or Grid.",
                    s.judgedSteps());
        if (job.status() == TuningJobStatus.STOPPING)
            return progress.running().isEmpty() ? Decisions.end(TuningJobStatus.STOPPED, null, Map.of())
                    : nothing(s.judgedSteps());
        if (failedFast(plan, progress)) {
            List<TrainingJob> first = progress.finishedCounted().subList(0, failFastCount(plan));
            TrainingJob last = first.getLast();
            if (first.stream().allMatch(j -> j.status() == TrainingJobStatus.FAILED))
                return Decisions.end(TuningJobStatus.FAILED, "The first " + first.size() + " training jobs failed;"
                        + " the last one (" + last.name() + ") failed with: " + reason(last), Map.of());
            TrainingJob silent = first.stream().filter(j -> j.status() != TrainingJobStatus.FAILED)
                    .reduce((a, b) -> b).orElseThrow();
            return new Decisions(List.of(), null, List.of(), List.of(), null, noObjective(plan, silent,
                    "The first " + first.size() + " training jobs ended without a value of the objective metric"),
                    Map.of());
        }
        String finishing = job.finishingReason() == null ? earlyFinish(s) : null;
        if (job.finishingReason() != null || finishing != null) {
            List<String> stops = progress.running().stream().filter(j -> !j.stopRequested()).map(TrainingJob::name).toList();
            Decisions.End end = progress.running().isEmpty() ? completion(plan, progress) : null;
            return new Decisions(List.of(), finishing, stops, List.of(), null, end, s.judgedSteps());
        }
        RunningJobReview.Result review = RunningJobReview.review(s);
        List<NewTrainingJob> created = new ArrayList<>();
        String state = job.strategyState();
        Map<String, Integer> retryLimits = new HashMap<>();
        plan.definitions().forEach((k, d) -> retryLimits.put(k, d.maxRetries()));
        List<TrainingJob> toRetry = progress.toRetry(retryLimits);
        int slots = Math.max(0, Math.min(plan.maxParallelTrainingJobs() - progress.running().size(), s.freeSlots()));
        long budget = plan.maxTrainingJobs() - progress.counted();
        if (progress.running().isEmpty() && toRetry.isEmpty() && budget <= 0)
            return new Decisions(review.decisions(), null, List.of(), List.of(), null, completion(plan, progress),
                    review.judgedSteps());
        if (slots > 0) {
            int ordinal = progress.jobs().size();
            Set<String> leaveOut = new HashSet<>(progress.superseded());
            List<TrainingJob> history = new ArrayList<>(progress.jobs());
            List<Observation> retried = new ArrayList<>();
            for (TrainingJob failed : toRetry.subList(0, Math.min(slots, toRetry.size()))) {
                created.add(new NewTrainingJob(++ordinal, failed.definitionName(), failed.tunedHyperParameters(), failed.name()));
                retried.add(Observation.pending(History.configuration(plan, failed)));
                leaveOut.add(failed.name());
            }
            int wanted = (int) Math.min(slots - created.size(), budget);
            if (wanted > 0) {
                List<Observation> observations = new ArrayList<>(s.warmStart());
                observations.addAll(History.observations(plan, history, leaveOut));
                observations.addAll(retried);
                Proposal proposal = Strategies.forName(plan.strategy()).propose(new ProposalRequest(plan.space(),
                        plan.goal(), observations, state, plan.seed(), wanted));
                for (Configuration c : proposal.configurations())
                    created.add(new NewTrainingJob(++ordinal, c.definitionName(), c.asHyperparameters(), null));
                state = proposal.state();
                if (proposal.configurations().isEmpty() && created.isEmpty() && progress.running().isEmpty())
                    // the strategy has nothing left (e.g. a finished grid)
                    return new Decisions(review.decisions(), null, List.of(), List.of(), null, completion(plan, progress),
                            review.judgedSteps());
            }
        }
        return new Decisions(review.decisions(), null, List.of(), created, created.isEmpty() ? null : state, null,
                review.judgedSteps());
    }

    private static Decisions nothing(Map<String, Integer> judgedSteps) {
        return new Decisions(List.of(), null, List.of(), List.of(), null, null, judgedSteps);
    }

    /** Why the tuning job ends before its budget is spent (MaxRuntimeInSeconds, completion criteria), or null. */
    private static String earlyFinish(TuningState s) {
        TuningPlan plan = s.plan();
        if (plan.maxRuntimeInSeconds() > 0
                && !s.now().isBefore(s.job().creationTime().plusSeconds(plan.maxRuntimeInSeconds())))
            return "ResourceLimits.MaxRuntimeInSeconds (" + plan.maxRuntimeInSeconds() + " s) reached";
        return s.progress().completion(plan).reason();
    }

    private static boolean failedFast(TuningPlan plan, TuningProgress progress) {
        if (progress.objectives(ObjectiveStatus.SUCCEEDED) > 0) return false;
        List<TrainingJob> finished = progress.finishedCounted();
        int n = failFastCount(plan);
        return finished.size() >= n && finished.stream().limit(n)
                .allMatch(j -> j.status() == TrainingJobStatus.FAILED ? !j.retryable() : j.objectiveValue() == null);
    }

    /**
     * Failed because {@code silent} (and the jobs {@code opening} speaks of) produced no objective:
     * the reason names the metric and its regex, and the controller may add the closest line of its output.
     */
    private static Decisions.End noObjective(TuningPlan plan, TrainingJob silent, String opening) {
        TuningPlan.DefinitionPlan d = plan.definition(silent.definitionName());
        String metric = d == null ? "?" : d.objectiveMetric();
        String regex = d == null ? null : d.metricDefinitions().stream().filter(m -> m.name().equals(metric))
                .map(dev.vernier.core.metrics.MetricDefinition::regex).findFirst().orElse(null);
        return new Decisions.End(TuningJobStatus.FAILED, opening + " '" + metric + "': no line of their output matched"
                + (regex == null ? " its metric definition" : " its regex '" + regex + "'") + " (the last of them: "
                + silent.name() + ").", silent.name(), regex);
    }

    /** A failed job's reason as a sentence's end: never "null". */
    private static String reason(TrainingJob job) {
        return job.failureReason() == null || job.failureReason().isBlank() ? "no reason recorded"
                : job.failureReason();
    }

    private static int failFastCount(TuningPlan plan) {
        return Math.max(1, Math.min(FAIL_FAST_JOBS, plan.maxTrainingJobs()));
    }

    /**
     * Completed when some job produced the objective, else Failed with the last failed job's reason,
     * or, when a job ended without failing, the objective that it did not produce.
     */
    private static Decisions.End completion(TuningPlan plan, TuningProgress progress) {
        if (progress.objectives(ObjectiveStatus.SUCCEEDED) > 0) return new Decisions.End(TuningJobStatus.COMPLETED, null);
        String opening = "None of the " + progress.counted() + " training jobs produced the objective metric";
        if (progress.jobs().isEmpty()) return new Decisions.End(TuningJobStatus.FAILED, opening + "; no training job ran.");
        TrainingJob silent = progress.jobs().reversed().stream()
                .filter(j -> j.status() != TrainingJobStatus.FAILED && !j.isRunning()).findFirst().orElse(null);
        if (silent != null) return noObjective(plan, silent, opening);
        return new Decisions.End(TuningJobStatus.FAILED, opening + "; the last failure was: "
                + reason(progress.jobs().getLast()));
    }
}
