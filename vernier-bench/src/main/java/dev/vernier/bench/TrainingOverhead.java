package dev.vernier.bench;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;

/**
 * Issue 3's overhead benchmark, one round: (1) the program run {@code jobs} times directly,
 * {@code parallel} at a time, each in a fresh directory with its output in a file; (2) a tuning
 * job of {@code jobs} training jobs of the same program, {@code parallel} at a time, on a running
 * server. Prints one table row: direct wall time, Vernier's time from CreationTime to
 * HyperParameterTuningEndTime (the server's clock), the client-observed time, the overhead, and
 * (with {@code --server-pid}) CPU time per job of the direct programs, the server JVM and its children.
 *
 * <pre>java dev.vernier.bench.TrainingOverhead --endpoint URL --program PATH --work DIR [--jobs 200] [--parallel 10] [--name N] [--server-pid PID] [--warmup JOBS] [--image IMAGE --engine podman] [--poll-millis 200] [--blocks 1] [--data-dir DIR]</pre>
 * With {@code --image}, the jobs run that image on a server with the container backend, and the
 * direct runs are {@code <engine> run} of the same image with the options the backend gives it.
 * {@code --poll-millis}: how often the client asks DescribeHyperParameterTuningJob whether the tuning job has ended
 * (the server's CPU for those calls competes with the jobs; the times measured are the server's own).
 * {@code --blocks B}: the direct runs and the tuning job are split into B blocks that alternate (B direct runs,
 * then a tuning job of as many, and again), so that a machine getting slower or faster during a round weighs
 * on both sides alike; the figures add up over the blocks.
 * {@code --data-dir DIR}: the server's data directory; each training job's launch latency, from its CreationTime to
 * its wrapper's start (the mtime of {@code jobs/<name>/vernier/pid}), is then added as a last column: Vernier's own
 * share of the overhead, which the engine's run-to-run spread does not blur.
 * The access key comes from VERNIER_ACCESS_KEY_ID / VERNIER_SECRET_ACCESS_KEY.
 */
public final class TrainingOverhead {
    /** How often the client asks whether a tuning job has ended. */
    private static long pollMillis = 200;
    /** The server's data directory, when known: launch latencies are read from its job directories. */
    private static Path dataDir;

    public static void main(String[] args) throws Exception {
        String endpoint = null, program = null, work = null, name = "overhead", image = null, engine = "podman";
        long serverPid = -1;
        int jobs = 200, parallel = 10, warmup = 0, blocks = 1;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = args[i + 1];
                case "--program" -> program = args[i + 1];
                case "--work" -> work = args[i + 1];
                case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
                case "--parallel" -> parallel = Integer.parseInt(args[i + 1]);
                case "--name" -> name = args[i + 1];
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--server-pid" -> serverPid = Long.parseLong(args[i + 1]);
                case "--image" -> image = args[i + 1];
                case "--engine" -> engine = args[i + 1];
                case "--poll-millis" -> pollMillis = Long.parseLong(args[i + 1]);
                case "--blocks" -> blocks = Integer.parseInt(args[i + 1]);
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (endpoint == null || (program == null && image == null) || work == null)
            throw new IllegalArgumentException("--endpoint, --program or --image, and --work are required");
        String trainingImage = image != null ? image : "file://" + program;
        // the options the backend gives an ml.m5.large job (container-instance-types: 2 CPUs, 8 GiB), less its name and label
        List<String> command = image != null ? List.of(engine, "run", "--rm", "--pull", "never", "--log-driver", "none",
                "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", "--cpus", String.format(java.util.Locale.ROOT,
                        "%.2f", Math.min(2.0, Runtime.getRuntime().availableProcessors())), "--memory", "8192m",
                "--memory-swap", "8192m", "--env", "SM_HP_LR", "--volume", "{dir}:/opt/ml", image, "train")
                : List.of(program, "train");
        // an untimed tuning job first, so that the timed one sees a warmed-up server (JIT, caches) as in production
        if (warmup > 0) vernier(URI.create(endpoint), trainingImage, name + "-warmup", warmup, parallel, null, null);
        if (blocks < 1 || jobs % blocks != 0) throw new IllegalArgumentException("--jobs must be a multiple of --blocks");
        List<Double> directRuns = new ArrayList<>();
        List<Double> vernierJobs = new ArrayList<>();
        List<Double> launches = new ArrayList<>();
        double direct = 0;
        double[] vernier = {0, 0};
        long directTicks = 0, serverTicks = 0, childrenTicks = 0, jitTicks = 0;
        for (int b = 0; b < blocks; b++) {
            long[] self0 = cpuTicks(ProcessHandle.current().pid());
            direct += direct(command, blocks == 1 ? Path.of(work) : Path.of(work, "block-" + b), jobs / blocks, parallel,
                    directRuns);
            long[] self1 = cpuTicks(ProcessHandle.current().pid());
            directTicks += self1[1] - self0[1];
            long[] server0 = serverPid > 0 ? cpuTicks(serverPid) : new long[2];
            long jit0 = serverPid > 0 ? compilerTicks(serverPid) : 0;
            double[] block = vernier(URI.create(endpoint), trainingImage, blocks == 1 ? name : name + "-" + b, jobs / blocks,
                    parallel, vernierJobs, launches);
            long[] server1 = serverPid > 0 ? cpuTicks(serverPid) : new long[2];
            long jit1 = serverPid > 0 ? compilerTicks(serverPid) : 0;
            vernier[0] += block[0];
            vernier[1] += block[1];
            serverTicks += server1[0] - server0[0];
            childrenTicks += server1[1] - server0[1];
            jitTicks += jit1 - jit0;
        }
        double raw = (vernier[0] - direct) / jobs;
        double perSlot = (vernier[0] - direct) * parallel / jobs;
        // CPU milliseconds per job: the directly run programs (children of this JVM), the server JVM
        // itself, and the server's children (wrappers and programs); a tick is 10 ms (USER_HZ 100)
        double directCpu = directTicks * 10.0 / jobs;
        double serverCpu = serverTicks * 10.0 / jobs;
        double childrenCpu = childrenTicks * 10.0 / jobs;
        double jitCpu = jitTicks * 10.0 / jobs;
        System.out.printf("| %s | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f (%.1f) | %.1f |", name, direct,
                vernier[0], vernier[1], raw, perSlot, directCpu, serverCpu, jitCpu, childrenCpu);
        // With --image, per job side by side: the median `<engine> run` against the median container job
        // (its CreationTime to TrainingEndTime, the server's clock), and their difference.
        if (image != null) System.out.printf(" %.0f | %.0f | **%.0f** |", median(directRuns), median(vernierJobs),
                median(vernierJobs) - median(directRuns));
        if (dataDir != null) System.out.printf(" %.1f |", median(launches));
        System.out.println();
    }

    /** {utime + stime, cutime + cstime} of a process, in clock ticks (/proc/PID/stat fields 14-17). */
    static long[] cpuTicks(long pid) throws java.io.IOException {
        return cpuTicks(Path.of("/proc", Long.toString(pid)));
    }

    private static long[] cpuTicks(Path procDir) throws java.io.IOException {
        String stat = Files.readString(procDir.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    /** CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre" in /proc/PID/task/TID/comm). */
    static long compilerTicks(long pid) throws java.io.IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) continue;
                    ticks += cpuTicks(task)[0];
                } catch (java.io.IOException e) {
                    // the thread ended while we looked: its time is lost to both readings alike
                }
            }
        }
        return ticks;
    }

    /** When the job's wrapper started: it writes its pid first thing. */
    private static java.time.Instant wrapperStart(String trainingJobName) {
        try {
            return Files.getLastModifiedTime(dataDir.resolve("jobs").resolve(trainingJobName).resolve("vernier").resolve("pid"))
                    .toInstant();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Wall milliseconds to run {@code command} ({dir}: the run's directory) {@code jobs} times, {@code parallel} at
     * a time; each run's own wall milliseconds are added to {@code runs}.
     */
    static double direct(List<String> command, Path work, int jobs, int parallel, List<Double> runs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long t0 = System.nanoTime();
        List<Future<Double>> started = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Path dir = work.resolve("direct-" + i);
            started.add(pool.submit(() -> {
                Files.createDirectories(dir);
                ProcessBuilder pb = new ProcessBuilder(command.stream().map(a -> a.replace("{dir}", dir.toString())).toList())
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("training.log").toFile());
                pb.environment().put("SM_HP_LR", "0.01");
                long start = System.nanoTime();
                if (pb.start().waitFor() != 0) throw new IllegalStateException("the program failed, see " + dir);
                return (System.nanoTime() - start) / 1e6;
            }));
        }
        for (Future<Double> r : started) runs.add(r.get());
        double ms = (System.nanoTime() - t0) / 1e6;
        pool.shutdown();
        return ms;
    }

    /**
     * {server-side ms from CreationTime to HyperParameterTuningEndTime, client-observed ms}; each training job's
     * ms from its CreationTime to its TrainingEndTime are added to {@code perJob}, and from its CreationTime to its
     * wrapper's start to {@code launches} (when not null, and with {@link #dataDir}).
     */
    static double[] vernier(URI endpoint, String trainingImage, String name, int jobs, int parallel, List<Double> perJob,
                            List<Double> launches) throws Exception {
        try (SageMakerClient sm = SageMakerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("VERNIER_ACCESS_KEY_ID"), System.getenv("VERNIER_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            long t0 = System.nanoTime();
            sm.createHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name)
                    .hyperParameterTuningJobConfig(c -> c.strategy("Random")
                            .hyperParameterTuningJobObjective(o -> o.type("Minimize").metricName("loss"))
                            .resourceLimits(l -> l.maxNumberOfTrainingJobs(jobs).maxParallelTrainingJobs(parallel))
                            .parameterRanges(p -> p.continuousParameterRanges(x -> x.name("lr").minValue("0.001").maxValue("0.1"))))
                    .trainingJobDefinition(d -> d
                            .algorithmSpecification(a -> a.trainingImage(trainingImage).trainingInputMode("File")
                                    .metricDefinitions(m -> m.name("loss").regex("loss=([0-9.eE+-]+)")))
                            .roleArn("arn:aws:iam::123456789012:role/vernier")
                            .outputDataConfig(o -> o.s3OutputPath("s3://bench/output"))
                            .resourceConfig(rc -> rc.instanceType("ml.m5.large").instanceCount(1).volumeSizeInGB(1))
                            .stoppingCondition(s -> s.maxRuntimeInSeconds(600))));
            DescribeHyperParameterTuningJobResponse d;
            while (true) {
                d = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
                if (d.hyperParameterTuningJobStatus() != HyperParameterTuningJobStatus.IN_PROGRESS
                        && d.hyperParameterTuningJobStatus() != HyperParameterTuningJobStatus.STOPPING) break;
                Thread.sleep(pollMillis);
            }
            double client = (System.nanoTime() - t0) / 1e6;
            if (d.hyperParameterTuningJobStatus() != HyperParameterTuningJobStatus.COMPLETED
                    || d.trainingJobStatusCounters().completed() != jobs)
                throw new IllegalStateException("the tuning job did not complete every job: " + d);
            double server = Duration.between(d.creationTime(), d.hyperParameterTuningEndTime()).toNanos() / 1e6;
            if (perJob != null)
                sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r.hyperParameterTuningJobName(name).maxResults(100))
                        .trainingJobSummaries().forEach(j -> {
                            perJob.add(Duration.between(j.creationTime(), j.trainingEndTime()).toNanos() / 1e6);
                            if (launches != null && dataDir != null) launches.add(Duration.between(j.creationTime(),
                                    wrapperStart(j.trainingJobName())).toNanos() / 1e6);
                        });
            return new double[] {server, client};
        }
    }
}
