package dev.vernier.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.cli.aws.AwsConfig;
import dev.vernier.cli.aws.CliException;
import dev.vernier.cli.aws.ClientOptions;
import dev.vernier.cli.aws.SageMakerHttp;
import dev.vernier.cli.Launcher;
import dev.vernier.cli.watch.InterruptNotice;
import dev.vernier.cli.watch.TuningSnapshot;
import dev.vernier.cli.watch.Watcher;
import dev.vernier.server.Vernier;
import dev.vernier.server.VernierServer;
import dev.vernier.server.config.Settings;
import dev.vernier.server.config.SettingsException;
import dev.vernier.server.config.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vernier demo}: a real tuning job over the bundled example, start to finish. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a real tuning job on the bundled example and shows it live (start here).", "Tunes the bundled example (examples/wine: a small neural network trained on the UCI Wine data set by a "
                + "single-file Java program) with a Bayesian tuning job: starts a server of its own on a free port with a data "
                + "directory of its own (or uses --endpoint-url), creates the job, shows its progress live, then prints the best "
                + "training job, its hyperparameters and objective, its model and log, and the commands to look at it again."},
        footer = {"", "Examples:", "  vernier demo", "  vernier demo --max-jobs 6 --max-parallel 2 --plain",
                "  vernier demo --endpoint-url http://127.0.0.1:8080     # on a server you started",
                "  vernier demo --image                                  # each training job a container (podman or Docker)", "",
                "Ctrl-C stops the demo (and its own server); it prints how to go on with the tuning job or stop it.", "",
                "Exit codes: 0 the tuning job Completed, 1 Failed, 2 Stopped; 253-255 as for every command."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory of the demo's server (default .vernier/demo-<time>)")
    Path dataDir;
    @Option(names = "--example", paramLabel = "DIR", description = "the example to tune (default examples/wine of this repository)")
    Path example;
    @Option(names = "--name", paramLabel = "NAME", description = "tuning job name (default wine-<time>)")
    String name;
    @Option(names = "--max-jobs", paramLabel = "N", description = "MaxNumberOfTrainingJobs (default: the example's, 16)")
    Integer maxJobs;
    @Option(names = "--max-parallel", paramLabel = "N", description = "MaxParallelTrainingJobs (default: the example's, 2)")
    Integer maxParallel;
    @Option(names = "--strategy", paramLabel = "NAME", description = "Bayesian (the example's), Random or Grid")
    String strategy;
    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;
    @Option(names = "--image", description = "run each training job as a container of the example's image, built here from "
            + "the example with its build-image.sh (needs podman or Docker, no registry); the demo's own server runs with "
            + "--backend container, a server of --endpoint-url must too")
    boolean image;
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws InterruptedException, IOException {
        ExampleProject project = ExampleProject.find(example);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String jobName = name != null ? name : "wine-" + stamp;
        ObjectNode request = request(project, jobName);
        if (image) {
            System.out.println("Building the example's container image (" + project.dir().resolve("build-image.sh") + ") ...");
            String built = project.buildImage();
            ((ObjectNode) request.path("TrainingJobDefinition").path("AlgorithmSpecification")).put("TrainingImage", built);
            System.out.println("Each training job runs the image " + built + " as a container.");
        }
        if (client.endpointUrl() != null) {
            System.out.println("Watch it in the browser (sign in with your access key): " + client.endpointUrl().replaceAll("/+$", "")
                    + "/dashboard/tuning-jobs/" + jobName);
            return run(client.client(), request, project, null, null);
        }
        Path dir = (dataDir != null ? dataDir : Path.of(".vernier", "demo-" + stamp)).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        quietServerLogs(dir);
        Settings settings = settings(dir);
        VernierServer server = Vernier.start(settings);
        Thread closer = new Thread(server::close, "demo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            String endpoint = "http://127.0.0.1:" + server.port();
            AwsConfig config = settings.accessKeyId().isPresent()
                    ? new AwsConfig(endpoint, settings.region(), new AwsConfig.Credentials(settings.accessKeyId().get(),
                            settings.secretAccessKey().orElseThrow(), "settings"), dev.vernier.cli.aws.Timestamps.Format.ISO8601)
                    : AwsConfig.forLocalServer(endpoint, settings.region(), dir);
            stage(project, settings, request);
            Files.writeString(dir.resolve("tuning-job.json"), request.toPrettyString() + "\n");
            System.out.println("Vernier demo: a server of its own on " + endpoint + ", data directory " + dir);
            System.out.println("Watch it in the browser (signed in, one-time link): " + endpoint + server.dashboardSignInPath(
                    "tuning-jobs/" + request.get("HyperParameterTuningJobName").asText()));
            return run(new SageMakerHttp(config), request, project, dir, server);
        } finally {
            server.close();
            Runtime.getRuntime().removeShutdownHook(closer);
        }
    }

    private ObjectNode request(ExampleProject project, String jobName) {
        ObjectNode request = project.request();
        request.put("HyperParameterTuningJobName", jobName);
        ObjectNode config = request.withObjectProperty("HyperParameterTuningJobConfig");
        ObjectNode limits = config.withObjectProperty("ResourceLimits");
        if (maxJobs != null) limits.put("MaxNumberOfTrainingJobs", maxJobs);
        if (maxParallel != null) limits.put("MaxParallelTrainingJobs", maxParallel);
        if (strategy != null) config.put("Strategy", strategy);
        return request;
    }

    /** On our own server the data goes into its object store, as it would go to S3; elsewhere it stays a file:// channel. */
    private static void stage(ExampleProject project, Settings settings, ObjectNode request) throws IOException {
        Path target = settings.training().objectStoreDir().resolve("vernier-examples").resolve("wine").resolve("data");
        Files.createDirectories(target);
        try (var files = Files.list(project.data())) {
            for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (JsonNode channel : request.path("TrainingJobDefinition").path("InputDataConfig")) {
            ObjectNode s3 = (ObjectNode) channel.path("DataSource").path("S3DataSource");
            if ("train".equals(channel.path("ChannelName").asText())) s3.put("S3Uri", "s3://vernier-examples/wine/data/");
        }
    }

    private int run(SageMakerHttp http, ObjectNode request, ExampleProject project, Path dir, VernierServer server)
            throws InterruptedException {
        String jobName = request.get("HyperParameterTuningJobName").asText();
        JsonNode limits = request.path("HyperParameterTuningJobConfig").path("ResourceLimits");
        System.out.printf("Tuning %s: %s strategy, %d training jobs, %d at a time; objective %s %s.%n", project.dir(),
                request.path("HyperParameterTuningJobConfig").path("Strategy").asText(), limits.path("MaxNumberOfTrainingJobs").asInt(),
                limits.path("MaxParallelTrainingJobs").asInt(),
                request.path("HyperParameterTuningJobConfig").path("HyperParameterTuningJobObjective").path("Type").asText().toLowerCase(),
                request.path("HyperParameterTuningJobConfig").path("HyperParameterTuningJobObjective").path("MetricName").asText());
        long start = System.nanoTime();
        http.call("CreateHyperParameterTuningJob", request);
        TuningSnapshot end;
        try (InterruptNotice notice = InterruptNotice.install(server == null
                ? InterruptNotice.jobGoesOn(Launcher.command(), jobName, client.repeat(http.config()))
                : ownServerGoesDown(jobName, dir, server.port()))) {
            end = Watcher.forStdout(http, plain ? Boolean.TRUE : null).watch(jobName);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        DemoReport.print(System.out, http, end, dir, server == null ? null : server.port(), seconds);
        return end.exitCode();
    }

    /** Ctrl-C on the demo's own server: the job stops with the server for now, and how to go on with it or stop it. */
    private static String ownServerGoesDown(String jobName, Path dir, int port) {
        String launcher = Launcher.command();
        return "Stopped the demo, and its server with it. The tuning job " + jobName + " is not finished: it goes on when a server "
                + "starts again on the demo's data directory:\n"
                + "  " + launcher + " server --data-dir " + dir + " --port " + port + "\n"
                + "To stop it then, in another shell:\n"
                + "  VERNIER_DATA_DIR=" + dir + " " + launcher + " stop-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name "
                + jobName + " --endpoint-url http://127.0.0.1:" + port;
    }

    private Settings settings(Path dir) {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", "0");
        flags.put("bind-address", "127.0.0.1");
        flags.put("data-dir", dir.toString());
        if (image) flags.put("backend", "container");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.equals("VERNIER_DATA_DIR") || k.equals("VERNIER_DATABASE") || k.equals("VERNIER_OBJECT_STORE_DIR"));
        try {
            return SettingsLoader.load(flags, env);
        } catch (SettingsException e) {
            throw new CliException(CliException.CONFIGURATION, "vernier demo: " + e.getMessage());
        }
    }

    /** The embedded server's log lines would tear the live view: they go to server.log in the data directory. */
    private static void quietServerLogs(Path dir) {
        System.setProperty("org.slf4j.simpleLogger.logFile", dir.resolve("server.log").toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
