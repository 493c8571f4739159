package dev.vernier.backend.kubernetes.pod;

import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3Settings;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.jobdir.ChannelStaging;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingHost;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The pod's own tasks, run from Vernier's image ({@code java -cp @/opt/vernier/jib-classpath-file
 * dev.vernier.backend.kubernetes.pod.PodTasks ...}):
 *
 * <ul>
 *   <li>{@code stage-input [--host algo-k/N] NAME=s3://bucket/prefix/ ...}, an init container: copies
 *       each channel's objects into {@code /opt/ml/input/data/NAME/} (host k's shard of a
 *       {@code sharded:NAME=...} channel), then exits; the training container starts only after it
 *       exited 0.</li>
 *   <li>{@code upload-output s3://.../<job>/output/}, a sidecar (an init container that keeps running):
 *       says it is ready by creating {@link #READY} (its startup probe), then waits for SIGTERM,
 *       which the kubelet sends once the training container has ended (or the pod is deleted), and
 *       packs and uploads {@code model/} and {@code output/data/} as SageMaker does.</li>
 * </ul>
 * The S3 endpoint, region and keys come from {@code VERNIER_S3_ENDPOINT}, {@code AWS_REGION},
 * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (no keys: the AWS SDK's default chain,
 * e.g. a pod identity). A failure is written to the container's termination message.
 */
public final class PodTasks {
    /** The sidecar's startup probe: the file exists once it can take SIGTERM. */
    public static final Path READY = Path.of("/tmp/vernier-upload-ready");
    /** Where the tasks leave why they failed: their containers' terminationMessagePath. */
    public static final Path TERMINATION_MESSAGE = Path.of("/tmp/vernier-termination-log");
    private static final JobDirectory ML = new JobDirectory(JobDirectory.CONTAINER_ROOT);
    /** The prefix of a stage-input channel argument that is ShardedByS3Key. */
    public static final String SHARDED = "sharded:";

    private PodTasks() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("stage-input")) {
            System.exit(run(() -> stageInput(args)));
        } else if (args.length == 2 && args[0].equals("upload-output")) {
            uploadOnTerm(URI.create(args[1]).toString());
        } else {
            System.err.println("usage: PodTasks stage-input NAME=s3://bucket/prefix/ ... | upload-output s3://bucket/prefix/");
            System.exit(64);
        }
    }

    private interface Task {
        void run() throws Exception;
    }

    private static int run(Task task) {
        try {
            task.run();
            return 0;
        } catch (Exception e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            System.err.println(message);
            try {
                Files.writeString(TERMINATION_MESSAGE, message);
            } catch (IOException | RuntimeException ignored) {
                // no termination log outside a pod: stderr has it
            }
            return 1;
        }
    }

    private static void stageInput(String[] args) throws IOException {
        try (S3ObjectStore store = S3ObjectStore.open(settings(System.getenv()))) {
            stageInput(java.util.Arrays.asList(args).subList(1, args.length), store, ML);
        }
    }

    /**
     * {@code [--host algo-k/N] NAME=s3://... [sharded:NAME=s3://...] ...}: each channel's objects
     * into {@code ml}'s {@code input/data/NAME/}; a {@code sharded:} channel (ShardedByS3Key) gets
     * only host k's share of them, as every backend shares them ({@link TrainingHost#shardOf}).
     */
    static void stageInput(List<String> args, ObjectStore store, JobDirectory ml) throws IOException {
        TrainingHost host = TrainingHost.single(1, 0);
        int first = 0;
        if (args.size() >= 2 && args.getFirst().equals("--host")) {
            String[] kn = args.get(1).split("/", 2);
            int index = Integer.parseInt(kn[0].substring("algo-".length()));
            host = TrainingHost.cluster(Integer.parseInt(kn[1]), 1, 0, "eth0").get(index - 1);
            first = 2;
        }
        for (String arg : args.subList(first, args.size())) {
            boolean sharded = arg.startsWith(SHARDED);
            String[] channel = (sharded ? arg.substring(SHARDED.length()) : arg).split("=", 2);
            Path target = ml.channel(channel[0]);
            Files.createDirectories(target);
            URI uri = URI.create(channel[1]);
            if (sharded && host.distributed()) {
                ChannelStaging.stageShard(uri, store, target, ml.root().resolve("input/.shards/" + channel[0]), host);
                System.out.println("staged " + host.name() + "'s shard of channel " + channel[0] + " from " + channel[1]);
            } else {
                int copied = store.copyPrefixTo(uri, target);
                System.out.println("staged channel " + channel[0] + ": " + copied + " objects from " + channel[1]);
            }
        }
    }

    /** Waits for SIGTERM, then uploads; the exit code is the upload's (0 when stored). */
    private static void uploadOnTerm(String outputPrefix) throws IOException {
        S3ObjectStore store = S3ObjectStore.open(settings(System.getenv()));
        CountDownLatch never = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            PrintStream out = System.out;
            int status = run(() -> {
                Artifacts.store(store, ML, outputPrefix);
                out.println("uploaded " + Artifacts.modelUri(outputPrefix) + " and " + Artifacts.outputDataUri(outputPrefix));
            });
            out.flush();
            Runtime.getRuntime().halt(status);   // the upload's status, not the JVM's 143 for SIGTERM
        }));
        warmUp(store, outputPrefix);
        Files.writeString(READY, "ready\n");
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads what the upload needs (the S3 client's stack, the packer) while the program runs, so that
     * little is left to do in the grace period after SIGTERM. A failure here is the upload's to report.
     */
    private static void warmUp(S3ObjectStore store, String outputPrefix) {
        try {
            store.hasObjects(URI.create(outputPrefix));
            dev.vernier.training.artifacts.TarGz.pack(Path.of("/nonexistent"), java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            System.err.println("warming up: " + e.getMessage());
        }
    }

    static S3Settings settings(Map<String, String> env) {
        Optional<URI> endpoint = Optional.ofNullable(env.get("VERNIER_S3_ENDPOINT")).filter(s -> !s.isBlank()).map(URI::create);
        return new S3Settings(endpoint, env.getOrDefault("AWS_REGION", "us-east-1"), endpoint.isPresent(),
                Optional.ofNullable(env.get("AWS_ACCESS_KEY_ID")), Optional.ofNullable(env.get("AWS_SECRET_ACCESS_KEY")),
                S3Settings.DEFAULT_PART_SIZE, S3Settings.DEFAULT_CONCURRENCY);
    }
}
