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
import java.util.function.Function;

/** DescribeTrainingJob, ListTrainingJobs, ListTrainingJobsForHyperParameterTuningJob and StopTrainingJob. */
public final class TrainingJobService {
    private final Store store;
    private final TuningController controller;
    private final TrainingJobView view;

    public TrainingJobService(Store store, ResourceNames names, TuningController controller) {
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

    private static Optional<String> text(ObjectNode r, String member) {
        JsonNode n = r.get(member);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    private static Optional<Instant> time(ObjectNode r, String member) {
        JsonNode n = r.get(member);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(Json.instant(n));
    }
}
