package dev.vernier.server.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.server.api.ApiException;
import dev.vernier.server.json.Json;
import dev.vernier.server.store.InvalidTokenException;
import dev.vernier.server.store.Page;
import dev.vernier.server.store.Store;
import dev.vernier.server.store.TrainingJobQuery;
import java.time.Instant;
import java.util.Optional;
import static dev.vernier.server.tuning.RequestMembers.text;
import static dev.vernier.server.tuning.RequestMembers.time;
import java.util.function.Function;

/** DescribeTrainingJob, ListTrainingJobs, ListTrainingJobsForHyperParameterTuningJob and StopTrainingJob. */
public final class TrainingJobService {
    private final Store store;
    private final TuningController controller;
    private final TrainingJobView view;

    private final dev.vernier.server.training.TrainingBackend logs;

    public TrainingJobService(Store store, ResourceNames names, TuningController controller,
                              dev.vernier.server.training.TrainingBackend logs) {
        this.logs = logs;
        this.store = store;
        this.controller = controller;
        this.view = new TrainingJobView(names);
    }

    public ObjectNode describe(ObjectNode request) {
        return view.describe(existing(request.path("TrainingJobName").asText()));
    }

    public ObjectNode list(ObjectNode request) {
        // Vernier has no warm pools and no training plans: no job matches these filters
        if (request.hasNonNull("WarmPoolStatusEquals") || request.hasNonNull("TrainingPlanArnEquals"))
            return Json.object().set("TrainingJobSummaries", Json.MAPPER.createArrayNode());
        return page(query(request, Optional.empty(), "CreationTime"), "TrainingJobSummaries", view::summary);
    }

    public ObjectNode listForTuningJob(ObjectNode request) {
        String tuning = request.path("HyperParameterTuningJobName").asText();
        if (store.tuningJob(tuning).isEmpty())
            throw ApiException.notFound("Amazon SageMaker can't find a tuning job with name " + tuning);
        return page(query(request, Optional.of(tuning), "Name"), "TrainingJobSummaries", view::tuningSummary);
    }

    public ObjectNode stop(ObjectNode request) {
        String name = request.path("TrainingJobName").asText();
        TrainingJobRecord job = store.requestTrainingJobStop(name).orElseThrow(() -> notFound(name));
        if (!job.isRunning())
            throw ApiException.validation("Training job " + job.name() + " is in status " + job.status().apiName()
                    + " and cannot be stopped; only InProgress jobs can.");
        controller.wake();
        return Json.object();
    }

    /** Largest piece of log one call returns. */
    static final int MAX_LOG_CHUNK = 1 << 20;

    /**
     * Vernier's log endpoint, {@code GET /v1/training-jobs/<name>/log?offset=N&limit=M}: a piece of
     * the job's log from byte N, the offset to ask for next, and whether the log is complete.
     */
    public ObjectNode log(String rest, java.util.Map<String, String> query) {
        if (!rest.endsWith("/log")) throw new ApiException(dev.vernier.server.api.ErrorCode.UNKNOWN_OPERATION,
                "Unknown path; the log of a training job is at /v1/training-jobs/<name>/log.");
        TrainingJobRecord job = existing(rest.substring(0, rest.length() - "/log".length()));
        long offset = number(query, "offset", 0);
        int limit = (int) Math.min(MAX_LOG_CHUNK, number(query, "limit", MAX_LOG_CHUNK));
        ObjectNode out = Json.object();
        out.put("TrainingJobName", job.name());
        out.put("TrainingJobStatus", job.status().apiName());
        if (!job.isLaunched()) {
            out.put("Log", "").put("NextOffset", offset).put("EndOfLog", !job.isRunning());
            return out;
        }
        dev.vernier.server.training.LogChunk chunk = logs.readLog(
                dev.vernier.server.training.RunHandle.fromJson(job.runHandle()), offset, limit);
        out.put("Log", new String(chunk.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        out.put("NextOffset", chunk.nextOffset());
        out.put("EndOfLog", !job.isRunning() && chunk.bytes().length < limit);
        return out;
    }

    private static long number(java.util.Map<String, String> query, String name, long fallback) {
        String v = query.get(name);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.validation("Value '" + v + "' at '" + name + "' failed to satisfy constraint: "
                    + "Member must be a non-negative integer");
        }
    }

    TrainingJobRecord existing(String name) {
        return store.trainingJob(name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Requested resource not found: training job " + name + " does not exist.");
    }

    private ObjectNode page(TrainingJobQuery query, String member, Function<TrainingJobRecord, ObjectNode> render) {
        Page<TrainingJobRecord> page;
        try {
            page = store.listTrainingJobs(query);
        } catch (InvalidTokenException e) {
            throw ApiException.validation(e.getMessage());
        }
        ObjectNode response = Json.object();
        ArrayNode items = response.putArray(member);
        page.items().forEach(j -> items.add(render.apply(j)));
        page.nextToken().ifPresent(t -> response.put("NextToken", t));
        return response;
    }

    private static TrainingJobQuery query(ObjectNode r, Optional<String> tuningJob, String defaultSort) {
        return new TrainingJobQuery(tuningJob, text(r, "NameContains"),
                time(r, "CreationTimeAfter"), time(r, "CreationTimeBefore"),
                time(r, "LastModifiedTimeAfter"), time(r, "LastModifiedTimeBefore"),
                text(r, "StatusEquals").map(TrainingJobStatus::fromApiName),
                switch (r.path("SortBy").asText(defaultSort)) {
                    case "Name" -> TrainingJobQuery.SortBy.NAME;
                    case "Status" -> TrainingJobQuery.SortBy.STATUS;
                    case "FinalObjectiveMetricValue" -> TrainingJobQuery.SortBy.OBJECTIVE;
                    default -> TrainingJobQuery.SortBy.CREATION_TIME;
                },
                r.path("SortOrder").asText("Ascending").equals("Descending"),
                r.path("MaxResults").asInt(10), text(r, "NextToken"));
    }


}
