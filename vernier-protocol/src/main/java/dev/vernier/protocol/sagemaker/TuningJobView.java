package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.protocol.json.Json;
import dev.vernier.service.TuningJobDetails;
import dev.vernier.service.TuningJobSummary;

/** Renders stored tuning jobs as the API's Describe and List shapes, members in the model's order. */
final class TuningJobView {
    private final TrainingJobView trainingJobs;

    TuningJobView(TrainingJobView trainingJobs) {
        this.trainingJobs = trainingJobs;
    }

    ObjectNode describe(TuningJobDetails details) {
        TuningJob job = details.job();
        TuningProgress progress = details.progress();
        TuningPlan plan = details.plan();
        dev.vernier.core.strategy.Goal goal = plan.goal();
        ObjectNode spec = Json.parseObject(job.spec());
        ObjectNode out = Json.object();
        out.put("HyperParameterTuningJobName", job.name());
        out.put("HyperParameterTuningJobArn", job.arn());
        out.set("HyperParameterTuningJobConfig", spec.get("HyperParameterTuningJobConfig"));
        copy(spec, out, "TrainingJobDefinition");
        copy(spec, out, "TrainingJobDefinitions");
        out.put("HyperParameterTuningJobStatus", job.status().apiName());
        out.put("CreationTime", Json.timestamp(job.creationTime()));
        if (job.endTime() != null) out.put("HyperParameterTuningEndTime", Json.timestamp(job.endTime()));
        out.put("LastModifiedTime", Json.timestamp(job.lastModifiedTime()));
        out.set("TrainingJobStatusCounters", trainingJobStatusCounters(progress));
        out.set("ObjectiveStatusCounters", objectiveStatusCounters(progress));
        progress.best(goal).ifPresent(best -> out.set("BestTrainingJob", trainingJobs.tuningSummary(best)));
        details.overallBest().ifPresent(best -> out.set("OverallBestTrainingJob", trainingJobs.tuningSummary(best)));
        copy(spec, out, "WarmStartConfig");
        copy(spec, out, "Autotune");
        if (job.failureReason() != null) out.put("FailureReason", job.failureReason());
        out.set("TuningJobCompletionDetails", completionDetails(progress.completion(plan)));
        java.time.Instant end = job.endTime() != null ? job.endTime() : details.now();
        out.putObject("ConsumedResources").put("RuntimeInSeconds",
                Math.max(0, java.time.Duration.between(job.creationTime(), end).toSeconds()));
        return out;
    }

    ObjectNode summary(TuningJobSummary summary) {
        TuningJob job = summary.job();
        TuningProgress progress = summary.progress();
        ObjectNode spec = Json.parseObject(job.spec());
        ObjectNode out = Json.object();
        out.put("HyperParameterTuningJobName", job.name());
        out.put("HyperParameterTuningJobArn", job.arn());
        out.put("HyperParameterTuningJobStatus", job.status().apiName());
        out.put("Strategy", job.strategy());
        out.put("CreationTime", Json.timestamp(job.creationTime()));
        if (job.endTime() != null) out.put("HyperParameterTuningEndTime", Json.timestamp(job.endTime()));
        out.put("LastModifiedTime", Json.timestamp(job.lastModifiedTime()));
        out.set("TrainingJobStatusCounters", trainingJobStatusCounters(progress));
        out.set("ObjectiveStatusCounters", objectiveStatusCounters(progress));
        JsonNode limits = spec.path("HyperParameterTuningJobConfig").get("ResourceLimits");
        if (limits != null) out.set("ResourceLimits", limits);
        return out;
    }

    private static ObjectNode completionDetails(dev.vernier.core.completion.Completion.Result completion) {
        ObjectNode c = Json.object();
        c.put("NumberOfTrainingJobsObjectiveNotImproving", completion.jobsNotImproving());
        if (completion.convergedAt() != null) c.put("ConvergenceDetectedTime", Json.timestamp(completion.convergedAt()));
        return c;
    }

    private static ObjectNode trainingJobStatusCounters(TuningProgress p) {
        ObjectNode c = Json.object();
        c.put("Completed", p.count(TrainingJobStatus.COMPLETED))
                .put("InProgress", p.count(TrainingJobStatus.IN_PROGRESS) + p.count(TrainingJobStatus.STOPPING))
                .put("RetryableError", p.retryableErrors()).put("NonRetryableError", p.nonRetryableErrors())
                .put("Stopped", p.count(TrainingJobStatus.STOPPED));
        return c;
    }

    private static ObjectNode objectiveStatusCounters(TuningProgress p) {
        ObjectNode c = Json.object();
        c.put("Succeeded", p.objectives(ObjectiveStatus.SUCCEEDED)).put("Pending", p.objectives(ObjectiveStatus.PENDING))
                .put("Failed", p.objectives(ObjectiveStatus.FAILED));
        return c;
    }

    private static void copy(ObjectNode from, ObjectNode to, String member) {
        JsonNode v = from.get(member);
        if (v != null && !v.isNull()) to.set(member, v);
    }
}
