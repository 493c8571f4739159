package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.PatternSyntaxException;
import dev.vernier.protocol.model.Violations;
import dev.vernier.protocol.sagemaker.TuningJobRequestRules.Checks;
import dev.vernier.protocol.sagemaker.TuningJobRequestRules.Definition;
import java.util.HashMap;
import java.util.Map;

/** Rules on one training-job definition: algorithm, metrics, data, resources, and what Vernier refuses. */
final class DefinitionRules {
    private DefinitionRules() {}

    static void check(Definition d, Checks checks, Violations v) {
        algorithm(d, checks, v);
        metrics(d, v);
        channels(d, v);
        resources(d, v);
        JsonNode node = d.node();
        String p = d.path();
        if (node.has("VpcConfig")) v.unsupported(p + ".vpcConfig", node.get("VpcConfig"), "VpcConfig");
        if (node.path("EnableManagedSpotTraining").asBoolean(false)) {
            v.unsupported(p + ".enableManagedSpotTraining", node.get("EnableManagedSpotTraining"), "Managed spot training");
        }
        if (node.path("OutputDataConfig").has("KmsKeyId")) {
            v.unsupported(p + ".outputDataConfig.kmsKeyId", node.path("OutputDataConfig").get("KmsKeyId"),
                    "KMS encryption of outputs");
        }
        if (node.path("OutputDataConfig").path("CompressionType").asText("GZIP").equals("NONE")) {
            v.add(p + ".outputDataConfig.compressionType", node.path("OutputDataConfig").get("CompressionType"),
                    "CompressionType NONE (uncompressed model artifacts) is not supported yet: use GZIP, the default");
        }
        for (String member : new String[] {"StaticHyperParameters", "Environment"})
            if (containsNul(node.get(member))) v.add(p + "." + Character.toLowerCase(member.charAt(0)) + member.substring(1),
                    node.get(member), NUL);
        if (containsNul(d.ranges())) v.add(d.rangesPath(), d.ranges(), NUL);
        JsonNode stopping = node.path("StoppingCondition");
        if (stopping.has("MaxWaitTimeInSeconds") && stopping.has("MaxRuntimeInSeconds")
                && stopping.get("MaxWaitTimeInSeconds").asLong() < stopping.get("MaxRuntimeInSeconds").asLong()) {
            v.add(p + ".stoppingCondition.maxWaitTimeInSeconds", stopping.get("MaxWaitTimeInSeconds"),
                    "Member must be greater than or equal to MaxRuntimeInSeconds");
        }
    }

    private static final String NUL = "Must not contain a NUL character: hyperparameters and variables reach "
            + "the training program through its environment, which cannot carry one";

    private static boolean containsNul(JsonNode node) {
        if (node == null) return false;
        if (node.isTextual()) return node.asText().indexOf('\0') >= 0;
        for (var names = node.fieldNames(); names.hasNext(); ) if (names.next().indexOf('\0') >= 0) return true;
        for (JsonNode child : node) if (containsNul(child)) return true;   // values of an object, elements of an array
        return false;
    }

    private static void algorithm(Definition d, Checks checks, Violations v) {
        JsonNode spec = d.node().path("AlgorithmSpecification");
        String p = d.path() + ".algorithmSpecification";
        JsonNode image = spec.get("TrainingImage");
        JsonNode algorithm = spec.get("AlgorithmName");
        if (algorithm != null) {
            if (image != null) v.add(p + ".algorithmName", algorithm, "Give either TrainingImage or AlgorithmName, not both");
            v.unsupported(p + ".algorithmName", algorithm, "AlgorithmName (Vernier has no algorithm marketplace; use TrainingImage)");
        } else if (image == null || image.asText().isBlank()) {
            v.add(p + ".trainingImage", image, "Member must not be empty when AlgorithmName is not given");
        } else {
            checks.checkImage(image.asText()).ifPresent(msg -> v.add(p + ".trainingImage", image, msg));
        }
    }

    private static void metrics(Definition d, Violations v) {
        JsonNode list = d.node().path("AlgorithmSpecification").path("MetricDefinitions");
        String p = d.path() + ".algorithmSpecification.metricDefinitions";
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = p + "." + (i + 1) + ".member";
            JsonNode name = list.get(i).path("Name");
            String earlier = names.putIfAbsent(name.asText(), path + ".name");
            if (earlier != null) v.add(path + ".name", name, "Metric names must be unique; also at '" + earlier + "'");
            JsonNode regex = list.get(i).path("Regex");
            try {
                // RE2/J is what the metric parser runs: linear time, so no log line can stall the server.
                if (com.google.re2j.Pattern.compile(regex.asText()).groupCount() < 1) {
                    v.add(path + ".regex", regex, "The regular expression needs a capture group for the metric value");
                }
            } catch (PatternSyntaxException e) {
                v.add(path + ".regex", regex, "Not a valid regular expression (RE2 syntax): " + e.getDescription());
            }
        }
        JsonNode objective = d.objective();
        if (objective != null && objective.has("MetricName") && !names.containsKey(objective.get("MetricName").asText())) {
            v.add(d.objectivePath() + ".metricName", objective.get("MetricName"),
                    "The objective metric must be defined in '" + p + "'");
        }
    }

    private static void channels(Definition d, Violations v) {
        JsonNode list = d.node().path("InputDataConfig");
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode channel = list.get(i);
            String path = d.path() + ".inputDataConfig." + (i + 1) + ".member";
            JsonNode name = channel.path("ChannelName");
            String earlier = names.putIfAbsent(name.asText(), path + ".channelName");
            if (earlier != null) v.add(path + ".channelName", name, "Channel names must be unique; also at '" + earlier + "'");
            JsonNode source = channel.path("DataSource");
            int sources = source.size();
            if (sources != 1) {
                v.add(path + ".dataSource", sources == 0 ? null : source,
                        "Exactly one of S3DataSource, FileSystemDataSource and DatasetSource must be given");
            }
            if (source.has("FileSystemDataSource")) {
                v.unsupported(path + ".dataSource.fileSystemDataSource", source.get("FileSystemDataSource"),
                        "FileSystemDataSource (EFS/FSx)");
            }
            if (source.has("DatasetSource")) {
                v.unsupported(path + ".dataSource.datasetSource", source.get("DatasetSource"), "DatasetSource (SageMaker hub)");
            }
            JsonNode s3 = source.path("S3DataSource");
            if (s3.has("HubAccessConfig")) {
                v.unsupported(path + ".dataSource.s3DataSource.hubAccessConfig", s3.get("HubAccessConfig"), "HubAccessConfig");
            }
            if (s3.path("InstanceGroupNames").size() > 0) {
                v.unsupported(path + ".dataSource.s3DataSource.instanceGroupNames", s3.get("InstanceGroupNames"),
                        "InstanceGroupNames (heterogeneous clusters)");
            }
        }
    }

    private static void resources(Definition d, Violations v) {
        JsonNode node = d.node();
        String p = d.path();
        if (node.has("ResourceConfig") && node.has("HyperParameterTuningResourceConfig")) {
            v.add(p + ".hyperParameterTuningResourceConfig", node.get("HyperParameterTuningResourceConfig"),
                    "Give either ResourceConfig or HyperParameterTuningResourceConfig, not both");
        }
        JsonNode rc = node.path("ResourceConfig");
        String rp = p + ".resourceConfig";
        positiveCount(rc.get("InstanceCount"), rp + ".instanceCount", v);
        if (rc.path("InstanceGroups").size() > 0) {
            v.unsupported(rp + ".instanceGroups", rc.get("InstanceGroups"), "InstanceGroups (heterogeneous clusters)");
        }
        if (rc.has("TrainingPlanArn")) v.unsupported(rp + ".trainingPlanArn", rc.get("TrainingPlanArn"), "TrainingPlanArn");
        if (rc.has("InstancePlacementConfig")) {
            v.unsupported(rp + ".instancePlacementConfig", rc.get("InstancePlacementConfig"), "InstancePlacementConfig");
        }
        if (rc.has("VolumeKmsKeyId")) v.unsupported(rp + ".volumeKmsKeyId", rc.get("VolumeKmsKeyId"), "KMS encryption of volumes");
        JsonNode tc = node.path("HyperParameterTuningResourceConfig");
        String tp = p + ".hyperParameterTuningResourceConfig";
        positiveCount(tc.get("InstanceCount"), tp + ".instanceCount", v);
        if (tc.has("VolumeKmsKeyId")) v.unsupported(tp + ".volumeKmsKeyId", tc.get("VolumeKmsKeyId"), "KMS encryption of volumes");
        JsonNode configs = tc.path("InstanceConfigs");
        if (configs.size() > 0) {
            for (String member : new String[] {"InstanceType", "InstanceCount", "VolumeSizeInGB"}) {
                if (tc.has(member)) {
                    v.add(tp + "." + Violations.pathName(member), tc.get(member),
                            "Do not give " + member + " together with InstanceConfigs");
                }
            }
            for (int i = 0; i < configs.size(); i++) {
                positiveCount(configs.get(i).get("InstanceCount"), tp + ".instanceConfigs." + (i + 1) + ".member.instanceCount", v);
            }
        }
    }

    private static void positiveCount(JsonNode count, String path, Violations v) {
        if (count != null && count.asInt() < 1) v.add(path, count, "Member must have value greater than or equal to 1");
    }
}
