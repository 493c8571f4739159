package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.StatusTransition;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.protocol.json.Json;

/** Renders stored training jobs as DescribeTrainingJob and the two summary shapes. */
final class TrainingJobView {
    private final ResourceNames names;

    TrainingJobView(ResourceNames names) {
        this.names = names;
    }

    /** HyperParameterTrainingJobSummary (ListTrainingJobsForHyperParameterTuningJob, BestTrainingJob). */
    ObjectNode tuningSummary(TrainingJob j) {
        ObjectNode out = Json.object();
        if (j.definitionName() != null) out.put("TrainingJobDefinitionName", j.definitionName());
        out.put("TrainingJobName", j.name());
        out.put("TrainingJobArn", j.arn());
        out.put("TuningJobName", j.tuningJobName());
        out.put("CreationTime", Json.timestamp(j.creationTime()));
        if (j.trainingStartTime() != null) out.put("TrainingStartTime", Json.timestamp(j.trainingStartTime()));
        if (j.trainingEndTime() != null) out.put("TrainingEndTime", Json.timestamp(j.trainingEndTime()));
        out.put("TrainingJobStatus", j.status().apiName());
        ObjectNode tuned = out.putObject("TunedHyperParameters");
        j.tunedHyperParameters().forEach(tuned::put);
        if (j.failureReason() != null) out.put("FailureReason", j.failureReason());
        if (j.objectiveValue() != null) {
            JsonNode objective = Json.parseObject(j.definition()).path("TuningObjective");
            out.putObject("FinalHyperParameterTuningJobObjectiveMetric")
                    .put("Type", objective.path("Type").asText())
                    .put("MetricName", objective.path("MetricName").asText())
                    .put("Value", (float) (double) j.objectiveValue());
        }
        out.put("ObjectiveStatus", j.objectiveStatus().apiName());
        return out;
    }

    /** TrainingJobSummary (ListTrainingJobs). */
    ObjectNode summary(TrainingJob j) {
        ObjectNode out = Json.object();
        out.put("TrainingJobName", j.name());
        out.put("TrainingJobArn", j.arn());
        out.put("CreationTime", Json.timestamp(j.creationTime()));
        if (j.trainingEndTime() != null) out.put("TrainingEndTime", Json.timestamp(j.trainingEndTime()));
        out.put("LastModifiedTime", Json.timestamp(j.lastModifiedTime()));
        out.put("TrainingJobStatus", j.status().apiName());
        out.put("SecondaryStatus", j.secondaryStatus());
        return out;
    }

    ObjectNode describe(TrainingJob j) {
        JsonNode d = Json.parseObject(j.definition());
        ObjectNode out = Json.object();
        out.put("TrainingJobName", j.name());
        out.put("TrainingJobArn", j.arn());
        out.put("TuningJobArn", names.tuningJobArn(j.tuningJobName()));
        // a job without a model artifact has no ModelArtifacts: "" would break the model's S3Uri pattern
        if (j.modelArtifact() != null && !j.modelArtifact().isEmpty())
            out.putObject("ModelArtifacts").put("S3ModelArtifacts", j.modelArtifact());
        out.put("TrainingJobStatus", j.status().apiName());
        out.put("SecondaryStatus", j.secondaryStatus());
        if (j.failureReason() != null) out.put("FailureReason", j.failureReason());
        ObjectNode hps = out.putObject("HyperParameters");
        j.hyperParameters().forEach(hps::put);
        ObjectNode algorithm = out.putObject("AlgorithmSpecification");
        JsonNode a = d.path("AlgorithmSpecification");
        for (String m : new String[] {"TrainingImage", "AlgorithmName", "TrainingInputMode", "MetricDefinitions"})
            if (a.has(m)) algorithm.set(m, a.get(m));
        copy(d, out, "RoleArn");
        copy(d, out, "InputDataConfig");
        copy(d, out, "OutputDataConfig");
        if (d.has("ResourceConfig")) {
            out.set("ResourceConfig", d.get("ResourceConfig"));
        } else if (d.has("HyperParameterTuningResourceConfig")) {
            JsonNode r = d.get("HyperParameterTuningResourceConfig");
            if (!r.has("InstanceType") && r.path("InstanceConfigs").size() > 0) r = r.path("InstanceConfigs").get(0);
            ObjectNode resources = out.putObject("ResourceConfig");
            for (String m : new String[] {"InstanceType", "InstanceCount", "VolumeSizeInGB"})
                if (r.has(m)) resources.set(m, r.get(m));
        }
        copy(d, out, "StoppingCondition");
        out.put("CreationTime", Json.timestamp(j.creationTime()));
        if (j.trainingStartTime() != null) out.put("TrainingStartTime", Json.timestamp(j.trainingStartTime()));
        if (j.trainingEndTime() != null) out.put("TrainingEndTime", Json.timestamp(j.trainingEndTime()));
        out.put("LastModifiedTime", Json.timestamp(j.lastModifiedTime()));
        ArrayNode transitions = out.putArray("SecondaryStatusTransitions");
        for (StatusTransition t : j.transitions()) {
            ObjectNode o = transitions.addObject().put("Status", t.status()).put("StartTime", Json.timestamp(t.start()));
            if (t.end() != null) o.put("EndTime", Json.timestamp(t.end()));
            if (t.message() != null) o.put("StatusMessage", t.message());
        }
        ArrayNode metrics = out.putArray("FinalMetricDataList");
        for (MetricValue m : j.finalMetrics())
            metrics.addObject().put("MetricName", m.name()).put("Value", (float) m.value())
                    .put("Timestamp", Json.timestamp(m.timestamp()));
        out.put("EnableNetworkIsolation", d.path("EnableNetworkIsolation").asBoolean(false));
        out.put("EnableInterContainerTrafficEncryption", d.path("EnableInterContainerTrafficEncryption").asBoolean(false));
        out.put("EnableManagedSpotTraining", d.path("EnableManagedSpotTraining").asBoolean(false));
        copy(d, out, "CheckpointConfig");
        if (j.trainingSeconds() != null) {
            out.put("TrainingTimeInSeconds", j.trainingSeconds());
            out.put("BillableTimeInSeconds", j.trainingSeconds());
        }
        copy(d, out, "Environment");
        copy(d, out, "RetryStrategy");
        return out;
    }

    private static void copy(JsonNode from, ObjectNode to, String member) {
        JsonNode v = from.get(member);
        if (v != null && !v.isNull()) to.set(member, v);
    }
}
