package dev.vernier.backend.local;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in server for {@link ServerDeathTest}, run in its own JVM: launches one job, polls
 * until it has seen {@code args[3]} metric points, prints the handle it would have stored, then
 * waits to be killed. {@code args[4]}, if given, is the job's InstanceCount.
 */
public final class ServerThatDies {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        var backend = new LocalTrainingBackend(LocalBackendSettings.defaults(root.resolve("jobs"))
                .withStopGracePeriod(Duration.ofSeconds(1)), new DirectoryObjectStore(root.resolve("objects")));
        var spec = new TrainingJobSpec(args[1], "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + args[1],
                null, "file://" + args[2], "File", Map.of(), Map.of(),
                List.of(new MetricDefinition("loss", "loss=([^ ]+)")), List.of(), "s3://models/out",
                new TrainingJobSpec.Resources("ml.m5.large",
                        args.length > 4 ? Integer.parseInt(args[4]) : 1, 10), 300, false);
        var handle = TestJobs.launch(backend, spec);
        int seen = 0;
        while (seen < Integer.parseInt(args[3])) {
            var o = TestJobs.poll(backend, handle);
            seen += o.newPoints().size();
            handle = TestJobs.local(o);
            Thread.sleep(10);
        }
        System.out.println("HANDLE " + handle.toJson());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
