package dev.vernier.server.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.server.api.ApiException;
import dev.vernier.server.json.Json;
import dev.vernier.server.store.InvalidTokenException;
import dev.vernier.server.store.Page;
import dev.vernier.server.store.Store;
import dev.vernier.server.store.Tag;
import dev.vernier.server.store.TuningJobQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import static dev.vernier.server.tuning.RequestMembers.text;
import static dev.vernier.server.tuning.RequestMembers.time;

/**
 * The tuning-job operations. Requests arrive validated against the model and canonical; this
 * class applies the semantic rules, the lifecycle and the store.
 */
public final class TuningJobService {
    private static final EnumSet<TuningJobStatus> TERMINAL =
            EnumSet.of(TuningJobStatus.COMPLETED, TuningJobStatus.FAILED, TuningJobStatus.STOPPED);

    private final Store store;
    private final ResourceNames names;
    private final CreateRequestRules rules;
    private final Clock clock;
    private final TuningJobView view;
    private final TuningController controller;
    private final LaunchCheck launchCheck;

    /** Checks, at Create time, that the training backend can run a definition; throws ApiException if not. */
    @FunctionalInterface
    public interface LaunchCheck {
        void check(TuningPlan plan);
    }

    public TuningJobService(Store store, ResourceNames names, CreateRequestRules rules, LaunchCheck launchCheck,
                            TuningController controller, Clock clock) {
        this.store = store;
        this.names = names;
        this.rules = rules;
        this.launchCheck = launchCheck;
        this.controller = controller;
        this.clock = clock;
        this.view = new TuningJobView(new TrainingJobView(names));
    }

    public ObjectNode create(ObjectNode request) {
        rules.check(request);
        String name = request.path("HyperParameterTuningJobName").asText();
        List<Tag> tags = Tags.from(request.path("Tags"));
        ObjectNode spec = request.deepCopy();
        spec.remove("Tags");
        Instant now = now();
        String strategy = spec.path("HyperParameterTuningJobConfig").path("Strategy").asText();
        launchCheck.check(TuningPlans.from(name, spec));
        TuningJobRecord job = new TuningJobRecord(name, names.tuningJobArn(name), TuningJobStatus.IN_PROGRESS,
                strategy, now, now, null, null, Json.write(spec));
        if (!store.createTuningJob(job, tags))
            throw ApiException.inUse("Hyperparameter tuning job " + name + " already exists.");
        controller.wake();
        ObjectNode response = Json.object();
        response.put("HyperParameterTuningJobArn", job.arn());
        return response;
    }

    public ObjectNode describe(ObjectNode request) {
        TuningJobRecord job = existing(request.path("HyperParameterTuningJobName").asText());
        TuningPlan plan = controller.plan(job);
        TuningProgress progress = progress(job);
        return view.describe(job, progress, plan, overallBest(plan, progress), now());
    }

    public ObjectNode list(ObjectNode request) {
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
        Page<TuningJobRecord> page;
        try {
            page = store.listTuningJobs(query);
        } catch (InvalidTokenException e) {
            throw ApiException.validation(e.getMessage());
        }
        ObjectNode response = Json.object();
        ArrayNode summaries = response.putArray("HyperParameterTuningJobSummaries");
        page.items().forEach(job -> summaries.add(view.summary(job, progress(job))));
        page.nextToken().ifPresent(t -> response.put("NextToken", t));
        return response;
    }

    public ObjectNode stop(ObjectNode request) {
        String name = request.path("HyperParameterTuningJobName").asText();
        TuningJobRecord job = existing(name);
        if (job.status() == TuningJobStatus.STOPPING) return Json.object();
        if (store.transitionTuningJob(name, EnumSet.of(TuningJobStatus.IN_PROGRESS), TuningJobStatus.STOPPING,
                now(), null).isEmpty()) {
            TuningJobRecord current = existing(name);
            if (current.status() != TuningJobStatus.STOPPING)
                throw ApiException.validation("Hyperparameter tuning job " + current.name() + " is in status "
                        + current.status().apiName() + " and cannot be stopped; only InProgress jobs can.");
        }
        controller.wake();
        return Json.object();
    }

    public ObjectNode delete(ObjectNode request) {
        String name = request.path("HyperParameterTuningJobName").asText();
        return switch (store.deleteTuningJob(name, TERMINAL)) {
            case DELETED -> Json.object();
            case NOT_FOUND -> throw notFound(name);
            case NOT_DELETABLE -> throw ApiException.validation("Hyperparameter tuning job " + name + " is in status "
                    + existing(name).status().apiName() + "; only Completed, Failed or Stopped jobs can be deleted.");
        };
    }

    /**
     * OverallBestTrainingJob: with IdenticalDataAndAlgorithm, the best of this job's and its parents'
     * training jobs (the model documents it for that warm-start type only); ties go to this job's.
     */
    private Optional<TrainingJobRecord> overallBest(TuningPlan plan, TuningProgress progress) {
        if (plan.warmStart() == null || !plan.warmStart().identicalDataAndAlgorithm()) return Optional.empty();
        List<TrainingJobRecord> all = new ArrayList<>(progress.best(plan.goal()).stream().toList());
        for (String parent : plan.warmStart().parents())
            TuningProgress.of(store.trainingJobsOf(parent)).best(plan.goal()).ifPresent(all::add);
        return all.stream().reduce((a, b) -> plan.goal().isBetter(b.objectiveValue(), a.objectiveValue()) ? b : a);
    }

    private TuningProgress progress(TuningJobRecord job) {
        return controller.progress(job);
    }

    TuningJobRecord existing(String name) {
        return store.tuningJob(name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Amazon SageMaker can't find a tuning job with name " + name);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }



    static List<String> keys(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
