package dev.vernier.protocol.sagemaker;

import static dev.vernier.protocol.sagemaker.RequestMembers.text;
import static dev.vernier.protocol.sagemaker.RequestMembers.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.Tag;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import dev.vernier.protocol.http.GetRoute;
import dev.vernier.protocol.http.Operation;
import dev.vernier.protocol.json.Json;
import dev.vernier.service.NewTuningJob;
import dev.vernier.service.TagPage;
import dev.vernier.service.TagService;
import dev.vernier.service.TrainingJobLog;
import dev.vernier.service.TrainingJobService;
import dev.vernier.service.TuningJobService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SageMaker operations Vernier serves: each reads its validated, canonical request into the
 * service's types, calls the service, and renders the answer in SageMaker's shapes. The only place
 * where the API's JSON meets the service.
 */
public final class SageMakerOperations {
    private final TuningJobService tuningJobs;
    private final TrainingJobService trainingJobs;
    private final TagService tags;
    private final CreateRequestRules rules;
    private final TuningJobView tuningView;
    private final TrainingJobView trainingView;

    public SageMakerOperations(TuningJobService tuningJobs, TrainingJobService trainingJobs, TagService tags,
                               CreateRequestRules rules, ResourceNames names) {
        this.tuningJobs = tuningJobs;
        this.trainingJobs = trainingJobs;
        this.tags = tags;
        this.rules = rules;
        this.trainingView = new TrainingJobView(names);
        this.tuningView = new TuningJobView(trainingView);
    }

    /** Every operation by its SageMaker name. */
    public Map<String, Operation> operations() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        ops.put("CreateHyperParameterTuningJob", this::createTuningJob);
        ops.put("DescribeHyperParameterTuningJob", this::describeTuningJob);
        ops.put("ListHyperParameterTuningJobs", this::listTuningJobs);
        ops.put("StopHyperParameterTuningJob", r -> done(() -> tuningJobs.stop(r.path("HyperParameterTuningJobName").asText())));
        ops.put("DeleteHyperParameterTuningJob", r -> done(() -> tuningJobs.delete(r.path("HyperParameterTuningJobName").asText())));
        ops.put("DescribeTrainingJob", r -> trainingView.describe(trainingJobs.describe(r.path("TrainingJobName").asText())));
        ops.put("ListTrainingJobs", this::listTrainingJobs);
        ops.put("ListTrainingJobsForHyperParameterTuningJob", this::listTrainingJobsForTuningJob);
        ops.put("StopTrainingJob", r -> done(() -> trainingJobs.stop(r.path("TrainingJobName").asText())));
        ops.put("AddTags", this::addTags);
        ops.put("ListTags", this::listTags);
        ops.put("DeleteTags", r -> done(() -> tags.delete(r.path("ResourceArn").asText(), texts(r.path("TagKeys")))));
        return ops;
    }

    /** Vernier's extensions served with GET, by path prefix. */
    public Map<String, GetRoute> getRoutes() {
        return Map.of("/v1/training-jobs/", this::log);
    }

    private ObjectNode createTuningJob(ObjectNode request) {
        rules.check(request);
        String name = request.path("HyperParameterTuningJobName").asText();
        List<Tag> tagList = tags(request.path("Tags"));
        ObjectNode document = request.deepCopy();
        document.remove("Tags");
        String arn = tuningJobs.create(new NewTuningJob(name, TuningPlans.from(name, document), Json.write(document), tagList));
        ObjectNode response = Json.object();
        response.put("HyperParameterTuningJobArn", arn);
        return response;
    }

    private ObjectNode describeTuningJob(ObjectNode request) {
        return tuningView.describe(tuningJobs.describe(request.path("HyperParameterTuningJobName").asText()));
    }

    private ObjectNode listTuningJobs(ObjectNode request) {
        if (neverHeld(request, TuningJobStatus.values(), TuningJobStatus::apiName))
            return Json.object().set("HyperParameterTuningJobSummaries", Json.MAPPER.createArrayNode());
        TuningJobQuery query = new TuningJobQuery(
                text(request, "NameContains"),
                time(request, "CreationTimeAfter"), time(request, "CreationTimeBefore"),
                time(request, "LastModifiedTimeAfter"), time(request, "LastModifiedTimeBefore"),
                text(request, "StatusEquals").map(TuningJobStatus::fromApiName),
                switch (request.path("SortBy").asText("Name")) {
                    case "Status" -> TuningJobQuery.SortBy.STATUS;
                    case "CreationTime" -> TuningJobQuery.SortBy.CREATION_TIME;
                    default -> TuningJobQuery.SortBy.NAME;
                },
                request.path("SortOrder").asText("Ascending").equals("Descending"),
                request.path("MaxResults").asInt(10),
                text(request, "NextToken"));
        return page(tuningJobs.list(query), "HyperParameterTuningJobSummaries", tuningView::summary);
    }

    private ObjectNode listTrainingJobs(ObjectNode request) {
        // Vernier has no warm pools and no training plans: no job matches these filters
        if (request.hasNonNull("WarmPoolStatusEquals") || request.hasNonNull("TrainingPlanArnEquals")
                || neverHeld(request, TrainingJobStatus.values(), TrainingJobStatus::apiName))
            return Json.object().set("TrainingJobSummaries", Json.MAPPER.createArrayNode());
        return page(trainingJobs.list(trainingJobQuery(request, Optional.empty(), "CreationTime")),
                "TrainingJobSummaries", trainingView::summary);
    }

    private ObjectNode listTrainingJobsForTuningJob(ObjectNode request) {
        String tuning = request.path("HyperParameterTuningJobName").asText();
        if (neverHeld(request, TrainingJobStatus.values(), TrainingJobStatus::apiName)) {
            if (tuningJobs.find(tuning).isEmpty())   // an unknown tuning job is still ResourceNotFound
                throw dev.vernier.service.ServiceException.notFound("Amazon SageMaker can't find a tuning job with name "
                        + tuning);
            return Json.object().set("TrainingJobSummaries", Json.MAPPER.createArrayNode());
        }
        return page(trainingJobs.listForTuningJob(trainingJobQuery(request, Optional.of(tuning), "Name")),
                "TrainingJobSummaries", trainingView::tuningSummary);
    }

    /**
     * Whether the request filters by a status that the model allows but no Vernier job ever holds
     * ({@code Deleting}, {@code DeleteFailed}: Vernier deletes at once): such a filter matches nothing.
     */
    private static <S> boolean neverHeld(ObjectNode request, S[] statuses, Function<S, String> apiName) {
        Optional<String> wanted = text(request, "StatusEquals");
        return wanted.isPresent() && java.util.Arrays.stream(statuses).map(apiName).noneMatch(wanted.get()::equals);
    }

    private ObjectNode addTags(ObjectNode request) {
        List<Tag> all = tags.add(request.path("ResourceArn").asText(), tags(request.path("Tags")));
        ObjectNode response = Json.object();
        response.set("Tags", tagsJson(all));
        return response;
    }

    private ObjectNode listTags(ObjectNode request) {
        TagPage page = tags.list(request.path("ResourceArn").asText(), request.path("MaxResults").asInt(TagService.MAX_TAGS),
                text(request, "NextToken"));
        ObjectNode response = Json.object();
        response.set("Tags", tagsJson(page.tags()));
        page.nextToken().ifPresent(t -> response.put("NextToken", t));
        return response;
    }

    /**
     * Vernier's log endpoint, {@code GET /v1/training-jobs/<name>/log?offset=N&limit=M}: a piece of
     * the job's log from byte N, the offset to ask for next, and whether the log is complete.
     */
    private static final java.util.regex.Pattern TRAINING_JOB_NAME =
            java.util.regex.Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

    private JsonNode log(String rest, Map<String, String> query) {
        if (!rest.endsWith("/log")) throw new ApiException(ErrorCode.UNKNOWN_OPERATION,
                "Unknown path; the log of a training job is at /v1/training-jobs/<name>/log.");
        long offset = number(query, "offset", 0);
        long limit = number(query, "limit", TrainingJobService.MAX_LOG_CHUNK);
        String name = rest.substring(0, rest.length() - "/log".length());
        // checked as the API's own inputs are: a name no job can have never reaches the store (PostgreSQL refuses a NUL)
        if (!TRAINING_JOB_NAME.matcher(name).matches())
            throw new ApiException(ErrorCode.VALIDATION, "The training job name in the path failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
        TrainingJobLog log = trainingJobs.log(name, offset, limit);
        ObjectNode out = Json.object();
        out.put("TrainingJobName", log.job().name());
        out.put("TrainingJobStatus", log.job().status().apiName());
        out.put("Log", new String(log.bytes(), StandardCharsets.UTF_8));
        out.put("NextOffset", log.nextOffset());
        out.put("EndOfLog", log.endOfLog());
        return out;
    }

    private static long number(Map<String, String> query, String name, long fallback) {
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

    private static TrainingJobQuery trainingJobQuery(ObjectNode r, Optional<String> tuningJob, String defaultSort) {
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

    private static <T> ObjectNode page(Page<T> page, String member, Function<T, ObjectNode> render) {
        ObjectNode response = Json.object();
        ArrayNode items = response.putArray(member);
        page.items().forEach(item -> items.add(render.apply(item)));
        page.nextToken().ifPresent(t -> response.put("NextToken", t));
        return response;
    }

    private static ObjectNode done(Runnable operation) {
        operation.run();
        return Json.object();
    }

    private static List<Tag> tags(JsonNode tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach(t -> out.add(new Tag(t.path("Key").asText(), t.path("Value").asText(""))));
        return out;
    }

    private static ArrayNode tagsJson(List<Tag> tags) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        tags.forEach(t -> array.addObject().put("Key", t.key()).put("Value", t.value()));
        return array;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
