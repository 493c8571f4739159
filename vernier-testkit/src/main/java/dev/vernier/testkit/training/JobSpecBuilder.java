package dev.vernier.testkit.training;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.util.List;
import java.util.Map;

/**
 * A training job of the contract suite: a test program, the metric {@code loss} ({@code loss=...}),
 * artifacts under {@code s3://contract-models/out}, five minutes of runtime, one instance.
 */
public final class JobSpecBuilder {
    private final String name;
    private String image;
    private String inputMode = "File";
    private Map<String, String> hyperParameters = Map.of();
    private Map<String, String> environment = Map.of();
    private List<MetricDefinition> metrics = List.of(new MetricDefinition("loss", "loss=([^ ]+)"));
    private List<InputChannel> channels = List.of();
    private String outputPath = "s3://contract-models/out";
    private int instanceCount = 1;
    private long maxRuntimeSeconds = 300;
    private boolean networkIsolation;
    private String instanceType = "ml.m5.large";
    private TrainingJobSpec.Checkpoints checkpoints;

    JobSpecBuilder(String name, String image) {
        this.name = name;
        this.image = image;
    }

    /** A job of this name and image, for a backend's own tests. */
    public static JobSpecBuilder named(String name, String image) {
        return new JobSpecBuilder(name, image);
    }

    public String name() {
        return name;
    }

    public String arn() {
        return "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name;
    }

    public JobSpecBuilder image(String v) { image = v; return this; }
    public JobSpecBuilder inputMode(String v) { inputMode = v; return this; }
    public JobSpecBuilder hyperParameters(Map<String, String> v) { hyperParameters = v; return this; }
    public JobSpecBuilder environment(Map<String, String> v) { environment = v; return this; }
    public JobSpecBuilder metrics(MetricDefinition... v) { metrics = List.of(v); return this; }
    public JobSpecBuilder channels(InputChannel... v) { channels = List.of(v); return this; }
    public JobSpecBuilder outputPath(String v) { outputPath = v; return this; }
    public JobSpecBuilder instanceCount(int v) { instanceCount = v; return this; }
    public JobSpecBuilder maxRuntimeSeconds(long v) { maxRuntimeSeconds = v; return this; }
    public JobSpecBuilder networkIsolation() { networkIsolation = true; return this; }
    public JobSpecBuilder instanceType(String v) { instanceType = v; return this; }
    /** CheckpointConfig with this S3Uri and the default local path. */
    public JobSpecBuilder checkpoints(String s3Uri) { checkpoints = TrainingJobSpec.Checkpoints.of(s3Uri, null, name, null); return this; }

    public TrainingJobSpec build() {
        return new TrainingJobSpec(name, arn(), "contract", image, inputMode, hyperParameters, environment, metrics,
                channels, outputPath, new TrainingJobSpec.Resources(instanceType, instanceCount, 10), maxRuntimeSeconds,
                networkIsolation, checkpoints);
    }
}
