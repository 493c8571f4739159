package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.completion.Completion;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.service.TuningJobDetails;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tuning-job page's data, computed on the server so that the page stays fast at any size: the
 * header; the finished jobs for the history, parallel-coordinates and slice charts (all of them up to
 * {@link #MAX_POINTS}, beyond that the best and an even sample); the best-so-far lines from every job;
 * importances from every job; and the timeline of the latest {@link #MAX_BARS} jobs.
 */
final class TuningJobView {
    static final int MAX_POINTS = 1000;
    static final int BEST_KEPT = 100;
    static final int MAX_BARS = 500;

    private TuningJobView() {}

    static ObjectNode header(TuningJobDetails d) {
        var job = d.job();
        TuningPlan plan = d.plan();
        TuningProgress progress = d.progress();
        ObjectNode h = Http.JSON.createObjectNode();
        h.put("name", job.name()).put("arn", job.arn()).put("status", job.status().apiName()).put("strategy", job.strategy());
        Rows.putMillis(h, "created", job.creationTime());
        Rows.putMillis(h, "modified", job.lastModifiedTime());
        Rows.putMillis(h, "ended", job.endTime());
        if (job.failureReason() != null) h.put("failureReason", job.failureReason());
        if (job.finishingReason() != null) h.put("finishingReason", job.finishingReason());
        var first = plan.definitions().values().iterator().next();
        h.putObject("objective").put("metric", first.objectiveMetric())
                .put("type", plan.goal() == Goal.MAXIMIZE ? "Maximize" : "Minimize");
        h.putObject("limits").put("maxTrainingJobs", plan.maxTrainingJobs())
                .put("maxParallelTrainingJobs", plan.maxParallelTrainingJobs())
                .put("maxRuntimeInSeconds", plan.maxRuntimeInSeconds());
        h.putObject("counters")
                .put("completed", progress.count(TrainingJobStatus.COMPLETED))
                .put("inProgress", progress.count(TrainingJobStatus.IN_PROGRESS) + progress.count(TrainingJobStatus.STOPPING))
                .put("stopped", progress.count(TrainingJobStatus.STOPPED))
                .put("retryableError", progress.retryableErrors())
                .put("nonRetryableError", progress.nonRetryableErrors())
                .put("counted", progress.counted())
                .put("objectiveSucceeded", progress.objectives(ObjectiveStatus.SUCCEEDED));
        progress.best(plan.goal()).ifPresent(b -> h.set("best", best(b)));
        d.overallBest().ifPresent(b -> h.set("overallBest", best(b)));
        var criteria = plan.completion();
        ObjectNode c = h.putObject("completion");
        if (criteria.targetObjectiveValue() != null) c.put("targetObjectiveValue", criteria.targetObjectiveValue());
        if (criteria.maxJobsNotImproving() > 0) c.put("maxNumberOfTrainingJobsNotImproving", criteria.maxJobsNotImproving());
        c.put("convergenceDetection", criteria.completeOnConvergence());
        Completion.Result result = progress.completion(plan);
        c.put("jobsNotImproving", result.jobsNotImproving());
        Rows.putMillis(c, "convergedAt", result.convergedAt());
        if (result.reason() != null) c.put("reason", result.reason());
        if (plan.warmStart() != null) {
            ObjectNode w = h.putObject("warmStart").put("type",
                    plan.warmStart().identicalDataAndAlgorithm() ? "IdenticalDataAndAlgorithm" : "TransferLearning");
            plan.warmStart().parents().forEach(w.putArray("parents")::add);
        }
        h.put("earlyStopping", plan.earlyStopping() ? "Auto" : "Off");
        if (plan.hyperband() != null) {
            var hb = plan.hyperband();
            ObjectNode o = h.putObject("hyperband").put("minResource", hb.minResource()).put("maxResource", hb.maxResource())
                    .put("eta", hb.eta()).put("brackets", hb.brackets());
            ArrayNode rungs = o.putArray("rungs");
            for (int b = 0; b < hb.brackets(); b++) hb.rungs(b).forEach(rungs.addArray()::add);
        }
        return h;
    }

    private static ObjectNode best(TrainingJob b) {
        ObjectNode o = Http.JSON.createObjectNode().put("name", b.name()).put("tuningJob", b.tuningJobName());
        o.put("objective", b.objectiveValue());
        ObjectNode hp = o.putObject("hyperParameters");
        b.tunedHyperParameters().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> hp.put(e.getKey(), e.getValue()));
        return o;
    }

    /**
     * What the charts draw of the finished jobs: the points, the best-so-far lines and the importances. Finished
     * training jobs never change, so this is computed again only when another one finishes.
     */
    record Finished(int count, ArrayNode points, ArrayNode bestByTime, ArrayNode bestByOrdinal, ObjectNode importance) {}

    static Finished finished(TuningJobDetails d) {
        TuningPlan plan = d.plan();
        Map<String, Parameter> parameters = Rows.parameters(plan);
        List<TrainingJob> finished = d.progress().jobs().stream().filter(j -> !j.isRunning()).toList();
        ArrayNode points = Http.JSON.createArrayNode();
        for (TrainingJob j : sample(finished, plan.goal())) points.add(point(j, parameters));
        ObjectNode rest = Http.JSON.createObjectNode();
        bestSoFar(rest, finished, plan.goal());
        importance(rest, finished, parameters);
        return new Finished(finished.size(), points, (ArrayNode) rest.get("bestByTime"), (ArrayNode) rest.get("bestByOrdinal"),
                (ObjectNode) rest.get("importance"));
    }

    static ObjectNode detail(TuningJobDetails d) {
        return detail(d, finished(d));
    }

    /** The page's first answer: the header, the parameters, {@code finished} (of these details) and the timeline. */
    static ObjectNode detail(TuningJobDetails d, Finished finished) {
        List<TrainingJob> jobs = d.progress().jobs();
        ObjectNode out = Http.JSON.createObjectNode();
        out.set("header", header(d));
        out.set("parameters", Rows.describe(Rows.parameters(d.plan())));
        long asOf = 0;
        for (TrainingJob j : jobs) if (j.lastModifiedTime() != null) asOf = Math.max(asOf, j.lastModifiedTime().toEpochMilli());
        out.put("asOf", asOf);
        out.put("now", d.now().toEpochMilli());
        out.put("finished", finished.count()).put("shownFinished", finished.points().size());
        out.set("points", finished.points());
        out.set("bestByTime", finished.bestByTime());
        out.set("bestByOrdinal", finished.bestByOrdinal());
        out.set("importance", finished.importance());
        timeline(out, jobs, d.now().toEpochMilli());
        return out;
    }

    /** One finished job as a compact row: [ordinal, end, objective|null, status, name, hp values...]. */
    static ArrayNode point(TrainingJob j, Map<String, Parameter> parameters) {
        ArrayNode p = Http.JSON.createArrayNode();
        p.add(j.ordinal());
        Long end = Rows.millis(j.trainingEndTime() != null ? j.trainingEndTime() : j.lastModifiedTime());
        if (end == null) p.addNull(); else p.add(end);
        Double y = Rows.objective(j);
        if (y == null) p.addNull(); else p.add(y);
        p.add(j.status().apiName());
        p.add(j.name());
        for (Parameter param : parameters.values()) {
            Object v = Rows.value(param, j.hyperParameters().get(param.name()));
            if (v == null) p.addNull();
            else if (v instanceof Double x) p.add(x);
            else p.add((String) v);
        }
        return p;
    }

    /** Every job up to MAX_POINTS; beyond, the best BEST_KEPT and an even sample of the rest, in ordinal order. */
    static List<TrainingJob> sample(List<TrainingJob> finished, Goal goal) {
        if (finished.size() <= MAX_POINTS) return finished;
        Comparator<TrainingJob> better = Comparator.comparingDouble(TrainingJob::objectiveValue);
        if (goal == Goal.MAXIMIZE) better = better.reversed();
        Set<TrainingJob> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(finished.stream().filter(j -> Rows.objective(j) != null)
                .sorted(better).limit(BEST_KEPT).toList());
        int rest = MAX_POINTS - keep.size();
        double stride = (double) finished.size() / rest;
        for (int k = 0; k < rest; k++) keep.add(finished.get((int) (k * stride)));
        for (int i = 0; keep.size() < MAX_POINTS; i++) keep.add(finished.get(i));   // where the sample met the best
        List<TrainingJob> out = new ArrayList<>(keep);
        out.sort(Comparator.comparingInt(TrainingJob::ordinal));
        return out;
    }

    /** The best objective so far, at each improvement: by finish time and by job number (from every job). */
    private static void bestSoFar(ObjectNode out, List<TrainingJob> finished, Goal goal) {
        List<TrainingJob> withObjective = new ArrayList<>(finished.stream().filter(j -> Rows.objective(j) != null).toList());
        withObjective.sort(Comparator.comparing((TrainingJob j) -> j.trainingEndTime() != null ? j.trainingEndTime()
                : j.lastModifiedTime()).thenComparingInt(TrainingJob::ordinal));
        ArrayNode byTime = out.putArray("bestByTime");
        Double best = null;
        for (TrainingJob j : withObjective) {
            if (best == null || goal.isBetter(j.objectiveValue(), best)) {
                best = j.objectiveValue();
                byTime.addArray().add(Rows.millis(j.trainingEndTime() != null ? j.trainingEndTime() : j.lastModifiedTime())).add(best);
            }
        }
        withObjective.sort(Comparator.comparingInt(TrainingJob::ordinal));
        ArrayNode byOrdinal = out.putArray("bestByOrdinal");
        best = null;
        for (TrainingJob j : withObjective) {
            if (best == null || goal.isBetter(j.objectiveValue(), best)) {
                best = j.objectiveValue();
                byOrdinal.addArray().add(j.ordinal()).add(best);
            }
        }
    }

    private static void importance(ObjectNode out, List<TrainingJob> finished, Map<String, Parameter> parameters) {
        List<TrainingJob> observed = finished.stream().filter(j -> Rows.objective(j) != null).toList();
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (Parameter p : parameters.values()) {
            List<Object> column = new ArrayList<>(observed.size());
            for (TrainingJob j : observed) column.add(Rows.value(p, j.hyperParameters().get(p.name())));
            values.put(p.name(), column);
        }
        Map<String, Double> shares = Importance.compute(values, observed.stream().map(TrainingJob::objectiveValue).toList());
        ObjectNode imp = out.putObject("importance").put("method", Importance.METHOD).put("observations", observed.size());
        ArrayNode list = imp.putArray("values");
        shares.forEach((name, share) -> list.addObject().put("name", name).put("share", share));
    }

    /** Bars [ordinal, start, end|null, status, lane] of the latest jobs; lanes packed greedily so parallelism shows. */
    private static void timeline(ObjectNode out, List<TrainingJob> jobs, long now) {
        List<TrainingJob> latest = jobs.size() <= MAX_BARS ? jobs : jobs.subList(jobs.size() - MAX_BARS, jobs.size());
        List<TrainingJob> sorted = new ArrayList<>(latest);
        sorted.sort(Comparator.comparing(TuningJobView::start).thenComparingInt(TrainingJob::ordinal));
        List<Long> laneEnds = new ArrayList<>();
        ObjectNode t = out.putObject("timeline").put("total", jobs.size()).put("shown", latest.size());
        ArrayNode bars = t.putArray("bars");
        for (TrainingJob j : sorted) {
            long s = start(j).toEpochMilli();
            long e = j.trainingEndTime() != null ? j.trainingEndTime().toEpochMilli() : now;
            int lane = -1;
            for (int i = 0; i < laneEnds.size(); i++) if (laneEnds.get(i) <= s) { lane = i; break; }
            if (lane < 0) { lane = laneEnds.size(); laneEnds.add(e); } else laneEnds.set(lane, e);
            ArrayNode bar = bars.addArray().add(j.ordinal()).add(s);
            if (j.trainingEndTime() == null) bar.addNull(); else bar.add(e);
            bar.add(j.status().apiName()).add(lane).add(j.name());
        }
        t.put("lanes", laneEnds.size());
    }

    private static java.time.Instant start(TrainingJob j) {
        return j.trainingStartTime() != null ? j.trainingStartTime() : j.creationTime();
    }
}
