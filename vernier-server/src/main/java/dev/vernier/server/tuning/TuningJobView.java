package dev.vernier.server.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.server.json.Json;

/** Renders stored tuning jobs as the API's Describe and List shapes, members in the model's order. */
final class TuningJobView {

    ObjectNode describe(TuningJobRecord job) {
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
        out.set("TrainingJobStatusCounters", trainingJobStatusCounters());
        out.set("ObjectiveStatusCounters", objectiveStatusCounters());
        copy(spec, out, "WarmStartConfig");
        copy(spec, out, "Autotune");
        if (job.failureReason() != null) out.put("FailureReason", job.failureReason());
        return out;
    }

    ObjectNode summary(TuningJobRecord job) {
        ObjectNode spec = Json.parseObject(job.spec());
        ObjectNode out = Json.object();
        out.put("HyperParameterTuningJobName", job.name());
        out.put("HyperParameterTuningJobArn", job.arn());
        out.put("HyperParameterTuningJobStatus", job.status().apiName());
        out.put("Strategy", job.strategy());
        out.put("CreationTime", Json.timestamp(job.creationTime()));
        if (job.endTime() != null) out.put("HyperParameterTuningEndTime", Json.timestamp(job.endTime()));
        out.put("LastModifiedTime", Json.timestamp(job.lastModifiedTime()));
        out.set("TrainingJobStatusCounters", trainingJobStatusCounters());
        out.set("ObjectiveStatusCounters", objectiveStatusCounters());
        JsonNode limits = spec.path("HyperParameterTuningJobConfig").get("ResourceLimits");
        if (limits != null) out.set("ResourceLimits", limits);
        return out;
    }

    private static ObjectNode trainingJobStatusCounters() {
        ObjectNode c = Json.object();
        c.put("Completed", 0).put("InProgress", 0).put("RetryableError", 0).put("NonRetryableError", 0)
                .put("Stopped", 0);
        return c;
    }

    private static ObjectNode objectiveStatusCounters() {
        ObjectNode c = Json.object();
        c.put("Succeeded", 0).put("Pending", 0).put("Failed", 0);
        return c;
    }

    private static void copy(ObjectNode from, ObjectNode to, String member) {
        JsonNode v = from.get(member);
        if (v != null && !v.isNull()) to.set(member, v);
    }
}
