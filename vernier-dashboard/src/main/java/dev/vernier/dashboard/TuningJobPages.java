package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.service.TrainingJobService;
import dev.vernier.service.TuningJobDetails;
import dev.vernier.service.TuningJobService;
import dev.vernier.service.TuningJobSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The tuning-job list and a tuning job's data and actions, each one service call (or a few) away. */
final class TuningJobPages {
    /**
     * Curves drawn at most: each is one read of the job's metric points, and past a few dozen lines the chart is a
     * tangle in which no curve can be followed; the selection puts the ones worth seeing first.
     */
    private static final int MAX_CURVES = 60;
    /** Completed jobs whose curves make the median line (the latest ones), drawn or not. */
    private static final int MAX_MEDIAN_JOBS = 500;
    private static final int MAX_CURVE_POINTS = 500;

    private static final int KEPT_ENDED = 2;
    private final Map<String, TuningJobDetails> ended = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TuningJobDetails> eldest) {
                    return size() > KEPT_ENDED;
                }
            });
    private final DetailAnswers answers = new DetailAnswers();
    private final TuningJobService tuning;
    private final TrainingJobService training;
    private final Dashboard.TuningJobCreator creator;

    TuningJobPages(TuningJobService tuning, TrainingJobService training, Dashboard.TuningJobCreator creator) {
        this.tuning = tuning;
        this.training = training;
        this.creator = creator;
    }

    /** A page of tuning jobs: filter by name and status, sort by name, status or creation time. */
    ObjectNode list(Map<String, String> q) {
        TuningJobQuery.SortBy sort = switch (q.getOrDefault("sort", "created")) {
            case "name" -> TuningJobQuery.SortBy.NAME;
            case "status" -> TuningJobQuery.SortBy.STATUS;
            case "created" -> TuningJobQuery.SortBy.CREATION_TIME;
            default -> throw new Http.BadRequest("sort must be name, status or created.");
        };
        boolean descending = !q.getOrDefault("order", sort == TuningJobQuery.SortBy.CREATION_TIME ? "desc" : "asc").equals("asc");
        Optional<TuningJobStatus> status = Optional.empty();
        String s = q.getOrDefault("status", "");
        if (!s.isEmpty()) {
            try {
                status = Optional.of(TuningJobStatus.fromApiName(s));
            } catch (IllegalArgumentException e) {
                throw new Http.BadRequest("status must be a tuning-job status such as InProgress, not '" + s + "'.");
            }
        }
        String name = q.getOrDefault("name", "").trim();
        int size = Http.intParam(q, "size", 50, 1, 100);
        String token = q.getOrDefault("token", "");
        Page<TuningJobSummary> page = tuning.list(new TuningJobQuery(name.isEmpty() ? Optional.empty() : Optional.of(name),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), status, sort, descending, size,
                token.isEmpty() ? Optional.empty() : Optional.of(token)));
        ObjectNode out = Http.JSON.createObjectNode();
        ArrayNode rows = out.putArray("jobs");
        for (TuningJobSummary summary : page.items()) {
            TuningJob job = summary.job();
            TuningPlan plan = tuning.plan(job);
            ObjectNode row = rows.addObject().put("name", job.name()).put("status", job.status().apiName())
                    .put("strategy", job.strategy()).put("created", job.creationTime().toEpochMilli())
                    .put("budget", plan.maxTrainingJobs())
                    .put("completed", summary.progress().count(TrainingJobStatus.COMPLETED))
                    .put("running", summary.progress().running().size())
                    .put("failed", summary.progress().count(TrainingJobStatus.FAILED))
                    .put("stopped", summary.progress().count(TrainingJobStatus.STOPPED))
                    .put("objectiveType", plan.goal() == Goal.MAXIMIZE ? "Maximize" : "Minimize");
            summary.progress().best(plan.goal()).ifPresent(b -> row.put("best", b.objectiveValue()).put("bestJob", b.name()));
        }
        page.nextToken().ifPresent(t -> out.put("next", t));
        return out;
    }

    /**
     * The job's details. Those of an ended job with no training job running are kept (for the last
     * {@link #KEPT_ENDED} such jobs opened): finished training jobs are final, so only the tuning job's
     * own record can change, and its version is checked on every use. The page, its table and its
     * intermediate values then read a 10,000-job tuning job from the store once, not three times.
     */
    TuningJobDetails describe(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        TuningJobDetails kept = ended.get(key);
        if (kept != null) {
            Optional<TuningJob> now = tuning.find(name);
            if (now.isPresent() && now.get().version() == kept.job().version()) return kept;
            ended.remove(key);
        }
        TuningJobDetails d = tuning.describe(name);
        if (d.job().status().isTerminal() && d.progress().running().isEmpty()) ended.put(key, d);
        return d;
    }

    /** The tuning-job page's first answer, with a Server-Timing value saying where its time went. */
    DetailAnswers.Answer detail(String name) {
        long start = System.nanoTime();
        TuningJobDetails d = describe(name);
        String described = String.format(Locale.ROOT, "describe;dur=%.1f, ", (System.nanoTime() - start) / 1e6);
        DetailAnswers.Answer answer = answers.answer(d);
        return new DetailAnswers.Answer(answer.json(), answer.gzipped(), described + answer.timing());
    }

    /** A page of the job's training jobs, filtered and sorted on the server. */
    ObjectNode table(String name, Map<String, String> q) {
        List<TrainingJob> jobs = describe(name).progress().jobs();
        String status = q.getOrDefault("status", "");
        String text = q.getOrDefault("q", "").toLowerCase(Locale.ROOT);
        List<TrainingJob> rows = new ArrayList<>();
        for (TrainingJob j : jobs) {
            if (!status.isEmpty() && !j.status().apiName().equals(status)) continue;
            if (!text.isEmpty() && !j.name().toLowerCase(Locale.ROOT).contains(text)
                    && j.tunedHyperParameters().entrySet().stream().noneMatch(e -> (e.getKey() + "=" + e.getValue()).toLowerCase(Locale.ROOT).contains(text)))
                continue;
            rows.add(j);
        }
        Comparator<TrainingJob> order = switch (q.getOrDefault("sort", "ordinal")) {
            case "ordinal", "name" -> Comparator.comparingInt(TrainingJob::ordinal);
            case "status" -> Comparator.comparing((TrainingJob j) -> j.status().apiName());
            case "objective" -> Comparator.comparing(Rows::objective, Comparator.nullsLast(Comparator.naturalOrder()));
            case "start" -> Comparator.comparing(TrainingJob::trainingStartTime, Comparator.nullsLast(Comparator.naturalOrder()));
            case "end" -> Comparator.comparing(TrainingJob::trainingEndTime, Comparator.nullsLast(Comparator.naturalOrder()));
            case "seconds" -> Comparator.comparing(TrainingJob::trainingSeconds, Comparator.nullsLast(Comparator.naturalOrder()));
            default -> throw new Http.BadRequest("sort must be one of ordinal, status, objective, start, end, seconds.");
        };
        if (q.getOrDefault("order", "asc").equals("desc")) order = order.reversed();
        rows.sort(order.thenComparingInt(TrainingJob::ordinal));
        int offset = Http.intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Http.intParam(q, "limit", 50, 1, 500);
        ObjectNode out = Http.JSON.createObjectNode().put("total", rows.size()).put("offset", offset);
        ArrayNode list = out.putArray("rows");
        for (int i = offset; i < Math.min(rows.size(), offset + limit); i++) list.add(Rows.row(rows.get(i)));
        return out;
    }

    /**
     * The objective's intermediate values of a selection of jobs (stopped early first, then the best,
     * the running and the latest, up to {@link #MAX_CURVES}), with early stopping Auto the median of the completed
     * ones' running averages (what the rule compares with), Hyperband's rungs and every decision.
     */
    ObjectNode intermediate(String name) {
        TuningJobDetails d = describe(name);
        TuningPlan plan = d.plan();
        List<JobDecision> decisions = tuning.decisions(name);
        Map<String, JobDecision> stops = new HashMap<>();
        for (JobDecision decision : decisions) if (decision.kind().stops()) stops.putIfAbsent(decision.trainingJobName(), decision);
        List<TrainingJob> jobs = d.progress().jobs();
        LinkedHashMap<String, TrainingJob> chosen = new LinkedHashMap<>();
        List<TrainingJob> reversed = new ArrayList<>(jobs);
        java.util.Collections.reverse(reversed);
        reversed.stream().filter(j -> stops.containsKey(j.name())).limit(MAX_CURVES / 3).forEach(j -> chosen.putIfAbsent(j.name(), j));
        Comparator<TrainingJob> better = Comparator.comparingDouble(TrainingJob::objectiveValue);
        if (plan.goal() == Goal.MAXIMIZE) better = better.reversed();
        jobs.stream().filter(j -> Rows.objective(j) != null).sorted(better).limit(MAX_CURVES / 4).forEach(j -> chosen.putIfAbsent(j.name(), j));
        reversed.stream().filter(TrainingJob::isRunning).limit(MAX_CURVES / 4).forEach(j -> chosen.putIfAbsent(j.name(), j));
        for (TrainingJob j : reversed) {
            if (chosen.size() >= MAX_CURVES) break;
            chosen.putIfAbsent(j.name(), j);
        }
        ObjectNode out = Http.JSON.createObjectNode().put("total", jobs.size());
        String metric = plan.definitions().values().iterator().next().objectiveMetric();
        out.put("metric", metric);
        ArrayNode series = out.putArray("series");
        Map<String, List<Double>> completed = new LinkedHashMap<>();
        for (TrainingJob j : chosen.values()) {
            List<Double> values = objectiveSeries(j, plan, metric);
            if (j.status() == TrainingJobStatus.COMPLETED && !stops.containsKey(j.name())) completed.put(j.name(), values);
            ObjectNode s = series.addObject().put("name", j.name()).put("ordinal", j.ordinal()).put("status", j.status().apiName());
            JobDecision stop = stops.get(j.name());
            if (stop != null) s.put("stoppedBy", stop.kind().name()).put("stopStep", stop.step()).put("detail", stop.detail());
            if (plan.hyperband() != null) s.put("bracket", plan.hyperband().bracketOf(j.ordinal()));
            ArrayNode v = s.putArray("values");
            int stride = Math.max(1, (values.size() + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
            s.put("stride", stride);
            for (int i = 0; i < values.size(); i += stride) v.add(values.get(i));
        }
        // the median rule (early stopping Auto) compares with every completed job, not only the drawn ones
        if (!plan.earlyStopping()) completed.clear();
        for (TrainingJob j : plan.earlyStopping() ? reversed : List.<TrainingJob>of()) {
            if (completed.size() >= MAX_MEDIAN_JOBS) break;
            if (j.status() == TrainingJobStatus.COMPLETED && !stops.containsKey(j.name()) && !completed.containsKey(j.name()))
                completed.put(j.name(), objectiveSeries(j, plan, metric));
        }
        out.put("medianOf", completed.size());
        ArrayNode median = out.putArray("median");
        for (double m : medianOfRunningAverages(new ArrayList<>(completed.values()))) median.add(m);
        if (plan.hyperband() != null) {
            ArrayNode rungs = out.putArray("rungs");
            new java.util.TreeSet<>(plan.hyperband().rungs(0)).forEach(rungs::add);
        }
        ArrayNode list = out.putArray("decisions");
        for (JobDecision decision : decisions)
            list.addObject().put("job", decision.trainingJobName()).put("kind", decision.kind().name()).put("step", decision.step())
                    .put("detail", decision.detail()).put("at", decision.decidedAt().toEpochMilli());
        return out;
    }

    private List<Double> objectiveSeries(TrainingJob j, TuningPlan plan, String fallbackMetric) {
        String metric = Optional.ofNullable(plan.definition(j.definitionName())).map(p -> p.objectiveMetric()).orElse(fallbackMetric);
        List<Double> values = new ArrayList<>();
        for (MetricPoint p : training.metricSeries(j.name())) if (p.name().equals(metric)) values.add(p.value());
        return values;
    }

    /** At each step, the median over the series that reach it of their running average up to that step. */
    static List<Double> medianOfRunningAverages(List<List<Double>> series) {
        List<Double> out = new ArrayList<>();
        double[] sums = new double[series.size()];
        for (int step = 0; ; step++) {
            List<Double> averages = new ArrayList<>();
            for (int k = 0; k < series.size(); k++) {
                List<Double> s = series.get(k);
                if (s.size() <= step) continue;
                sums[k] += s.get(step);
                averages.add(sums[k] / (step + 1));
            }
            if (averages.isEmpty()) return out;
            averages.sort(null);
            int n = averages.size();
            out.add(n % 2 == 1 ? averages.get(n / 2) : (averages.get(n / 2 - 1) + averages.get(n / 2)) / 2);
        }
    }

    /** The stored Create request of this job, renamed, with this job as its warm-start parent: for the user to edit. */
    ObjectNode tuneAgainRequest(String name) {
        TuningJob job = tuning.find(name).orElseGet(() -> tuning.describe(name).job());
        ObjectNode request;
        try {
            request = (ObjectNode) Http.JSON.readTree(job.spec());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("stored request of " + name + " is not a JSON object", e);
        }
        String base = job.name().length() > 25 ? job.name().substring(0, 25) : job.name();
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36, 36 * 36 * 36 * 36 * 36), 36).substring(0, 5);
        request.put("HyperParameterTuningJobName", base.replaceAll("-+$", "") + "-" + suffix);
        ObjectNode warm = request.putObject("WarmStartConfig");
        warm.putArray("ParentHyperParameterTuningJobs").addObject().put("HyperParameterTuningJobName", job.name());
        warm.put("WarmStartType", "IdenticalDataAndAlgorithm");
        return Http.JSON.createObjectNode().set("request", request);
    }

    ObjectNode create(byte[] body) {
        JsonNode request;
        try {
            request = Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new Http.BadRequest("The request is not valid JSON: " + e.getMessage());
        }
        if (request == null || !request.isObject()) throw new Http.BadRequest("The request must be a JSON object.");
        String arn = creator.create((ObjectNode) request);
        return Http.JSON.createObjectNode().put("arn", arn).put("name", request.path("HyperParameterTuningJobName").asText());
    }

    ObjectNode stop(String name) {
        tuning.stop(name);
        return Http.JSON.createObjectNode().put("stopping", name).put("at", Instant.now().toEpochMilli());
    }
}
