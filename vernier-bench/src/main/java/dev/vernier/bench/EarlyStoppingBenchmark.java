package dev.vernier.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobConfig;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobEarlyStoppingType;

/**
 * Early stopping Off vs Auto vs Hyperband on a running Vernier server, with a per-epoch training
 * program where half the configurations are hopeless (vernier-server's test program {@code curve.sh}:
 * loss = floor(lr) + 5 / epoch, floor at least 10 for lr above 0.05 of [0.001, 0.1], sampled on a linear scale). The three tuning
 * jobs run one after another with the same seed and budget; with {@code --parallel 1} Random and
 * Hyperband try the same configurations in the same order, so the final bests are comparable.
 * Prints a markdown table: total training time (sum over training jobs of end minus start), wall
 * time, stopped jobs, final best objective, and savings relative to Off.
 *
 * <pre>java dev.vernier.bench.EarlyStoppingBenchmark --endpoint http://127.0.0.1:PORT --key ID --secret S
 *      --program /abs/curve.sh [--jobs 20] [--epochs 20] [--sleep 0.15] [--parallel 1] [--seed 1]</pre>
 */
public final class EarlyStoppingBenchmark {
    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>(Map.of("--jobs", "20", "--epochs", "20", "--sleep", "0.15",
                "--parallel", "1", "--seed", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        SageMakerClient sm = SageMakerClient.builder().endpointOverride(URI.create(a.get("--endpoint")))
                .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a.get("--key"), a.get("--secret"))))
                .build();
        String suffix = Long.toString(System.currentTimeMillis() % 100_000);
        System.out.println("| early stopping | total training time (s) | wall time (s) | jobs stopped | final best | training time saved | best vs Off |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] off = null;
        for (String mode : List.of("Off", "Auto", "Hyperband")) {
            double[] r = run(sm, "es-" + mode.toLowerCase() + "-" + suffix, mode, a);
            if (off == null) off = r;
            System.out.printf("| %s | %.1f | %.1f | %d | %.5f | %.0f%% | %+.2f%% |%n", mode, r[0], r[1], (long) r[2], r[3],
                    100 * (1 - r[0] / off[0]), 100 * (r[3] - off[3]) / Math.abs(off[3]));
        }
    }

    /** Returns total training seconds, wall seconds, stopped jobs, best objective. */
    private static double[] run(SageMakerClient sm, String name, String mode, Map<String, String> a) {
        HyperParameterTuningJobConfig.Builder config = HyperParameterTuningJobConfig.builder()
                .strategy(mode.equals("Hyperband") ? "Hyperband" : "Random").randomSeed(Integer.parseInt(a.get("--seed")))
                .trainingJobEarlyStoppingType(mode.equals("Auto") ? TrainingJobEarlyStoppingType.AUTO : TrainingJobEarlyStoppingType.OFF)
                .hyperParameterTuningJobObjective(o -> o.type("Minimize").metricName("loss"))
                .resourceLimits(l -> l.maxNumberOfTrainingJobs(Integer.parseInt(a.get("--jobs")))
                        .maxParallelTrainingJobs(Integer.parseInt(a.get("--parallel"))))
                .parameterRanges(p -> p.continuousParameterRanges(c -> c.name("lr").minValue("0.001").maxValue("0.1")
                        .scalingType("Linear")));
        if (mode.equals("Hyperband")) config.strategyConfig(s -> s.hyperbandStrategyConfig(h -> h.minResource(1)));
        Instant start = Instant.now();
        sm.createHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name).hyperParameterTuningJobConfig(config.build())
                .trainingJobDefinition(d -> d
                        .algorithmSpecification(s -> s.trainingImage("file://" + a.get("--program")).trainingInputMode("File")
                                .metricDefinitions(m -> m.name("loss").regex("loss=([0-9.eE+-]+)")))
                        .staticHyperParameters(Map.of("epochs", a.get("--epochs")))
                        .environment(Map.of("SLEEP_SECONDS", a.get("--sleep")))
                        .roleArn("arn:aws:iam::123456789012:role/vernier")
                        .outputDataConfig(o -> o.s3OutputPath("s3://bench/output"))
                        .resourceConfig(c -> c.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
                        .stoppingCondition(c -> c.maxRuntimeInSeconds(3600))));
        DescribeHyperParameterTuningJobResponse d;
        do {
            sleep(500);
            d = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
        } while (!d.hyperParameterTuningJobStatus().equals(HyperParameterTuningJobStatus.COMPLETED)
                && !d.hyperParameterTuningJobStatus().equals(HyperParameterTuningJobStatus.FAILED));
        double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        double training = 0;
        long stopped = 0;
        for (HyperParameterTrainingJobSummary j : sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                .hyperParameterTuningJobName(name)).trainingJobSummaries()) {
            training += Duration.between(j.trainingStartTime(), j.trainingEndTime()).toMillis() / 1000.0;
            if (j.trainingJobStatusAsString().equals("Stopped")) stopped++;
        }
        return new double[] {training, wall, stopped, d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()};
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
