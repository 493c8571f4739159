package dev.vernier.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vernier.cli.Launcher;
import dev.vernier.cli.aws.SageMakerHttp;
import dev.vernier.cli.watch.ProgressView;
import dev.vernier.cli.watch.TuningSnapshot;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The end of the demo: the best training job, where its model and log are, and how to look again. */
final class DemoReport {
    private DemoReport() {}

    static void print(PrintStream out, SageMakerHttp http, TuningSnapshot end, Path dataDir, Integer port, double seconds) {
        String name = end.name();
        out.printf(Locale.ROOT, "%nTuning job %s %s in %.1f s: %d/%d training jobs done.%n", name, end.status(), seconds,
                end.finished(), end.maxJobs());
        String reason = end.describe().path("FailureReason").asText("");
        if (!reason.isEmpty()) out.println("FailureReason: " + reason);
        JsonNode best = end.best();
        String endpoint = http.config().endpoint();
        String launcher = Launcher.command();
        if (!best.isMissingNode()) {
            String bestName = best.path("TrainingJobName").asText();
            JsonNode job = http.call("DescribeTrainingJob", JsonNodeFactory.instance.objectNode().put("TrainingJobName", bestName));
            JsonNode objective = best.path("FinalHyperParameterTuningJobObjectiveMetric");
            out.printf("%nBest training job: %s%n", bestName);
            out.printf("  objective        %s = %s (%s)%n", objective.path("MetricName").asText(),
                    objective.path("Value").asText(), objective.path("Type").asText());
            for (JsonNode m : job.path("FinalMetricDataList")) {
                if (!m.path("MetricName").asText().equals(objective.path("MetricName").asText())) {
                    out.printf("  final metric     %s = %s%n", m.path("MetricName").asText(), ProgressView.number(m.path("Value").asDouble()));
                }
            }
            out.printf("  tuned            %s%n", ProgressView.hyperParameters(best.path("TunedHyperParameters")));
            StringBuilder all = new StringBuilder();
            java.util.TreeMap<String, String> hyperParameters = new java.util.TreeMap<>();
            job.path("HyperParameters").properties().forEach(e -> hyperParameters.put(e.getKey(), e.getValue().asText()));
            hyperParameters.forEach((k, v) -> {
                if (!k.startsWith("_")) all.append(all.isEmpty() ? "" : " ").append(k).append('=').append(v);
            });
            out.printf("  hyperparameters  %s%n", all);
            String artifact = job.path("ModelArtifacts").path("S3ModelArtifacts").asText("");
            if (!artifact.isEmpty()) {
                out.printf("  model artifact   %s%n", artifact);
                if (dataDir != null && artifact.startsWith("s3://")) {
                    Path local = dataDir.resolve("s3").resolve(artifact.substring("s3://".length()));
                    if (Files.exists(local)) out.printf("                   = %s%n", local);
                }
            }
            if (dataDir != null) out.printf("  log              %s%n", dataDir.resolve("jobs").resolve(bestName).resolve("vernier").resolve("training.log"));
            looksAgain(out, launcher, name, bestName, endpoint, http.config().region(), dataDir, port);
        }
    }

    private static void looksAgain(PrintStream out, String launcher, String name, String bestName, String endpoint, String region,
                                   Path dataDir, Integer port) {
        String e = " --endpoint-url " + endpoint;
        out.println();
        if (dataDir != null) {
            out.println("The demo's server has stopped. To look again, start a server on the demo's data directory:");
            out.printf("  %s server --data-dir %s --port %d%n", launcher, dataDir, port);
            out.println("then, in another shell (the key is the one that server generated):");
            out.printf("  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=vernier%n", dataDir.resolve("credentials"));
        } else {
            out.println("To look again:");
        }
        out.printf("  aws sagemaker describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name %s%s --region %s%n", name, e, region);
        out.printf("  aws sagemaker describe-training-job --training-job-name %s%s --region %s%n", bestName, e, region);
        out.printf("  %s watch %s%s%n", launcher, name, e);
        out.printf("  %s list-training-jobs-for-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name %s --sort-by FinalObjectiveMetricValue"
                + " --query 'TrainingJobSummaries[].[TrainingJobName,FinalHyperParameterTuningJobObjectiveMetric.Value,TrainingJobStatus]'"
                + " --output table%s%n", launcher, name, e);
        out.printf("  %s logs %s%s%n", launcher, bestName, e);
        if (dataDir != null) {
            out.printf("The request it sent is %s: to tune your own script, see README.md, \"Tune your own training script\".%n",
                    dataDir.resolve("tuning-job.json"));
        }
    }
}
