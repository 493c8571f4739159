package dev.vernier.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.json.Json;
import dev.vernier.testkit.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's crash test: SIGKILL the server in the middle of a 20-job tuning job with 4 in
 * parallel, start a new server process on the same data directory, and check that the tuning job
 * completes with exactly 20 jobs counted, that nothing ran twice beyond the retry rule, and that
 * no metric of a re-adopted job was lost or doubled.
 */
class CrashRecoveryTest {
    private static final String TUNING = "crash";
    private static final int JOBS = 20;
    private static final int PARALLEL = 4;
    private static final int EPOCHS = 5;   // what five_epochs.sh prints
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch=(\\d+) loss=([0-9.]+)");

    @TempDir
    Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void killEverythingThisTestStarted() {
        servers.forEach(ServerProcess::close);
        killProcessGroupsUnder(dir);
    }

    @Test
    void aTuningJobSurvivesKillDashNineWithEveryJobCountedOnceAndEveryMetricKept() throws Exception {
        dir.toFile().setExecutable(true, false);   // as root, programs run as nobody, who must reach the job directories
        Path data = dir.resolve("data");
        Path db = data.resolve("vernier.db");
        Path runs = TestServer.fileEveryProgramCanAppendTo(dir.resolve("runs.txt"));
        Path hold = dir.resolve("hold");
        Path output = dir.resolve("server.out");
        ServerProcess first = start(data, output);
        first.client().createHyperParameterTuningJob(Requests.create(TUNING, Programs.image("five_epochs.sh"),
                Map.of("RUNS_FILE", runs.toString(), "HOLD_FILE", hold.toString(), "EPOCH_SECONDS", "0.3"),
                JOBS, PARALLEL));

        // Mid-run, with a job whose first epochs are stored: the programs held (so that they are still
        // alive when the next server comes up, however slow its start), then SIGKILL.
        String split = holdMidRunWithAPartlyStoredJob(first.client(), new RawClient(first.endpoint()), db, hold);
        first.kill();
        Map<String, Integer> storedBeforeKill = storedPointsOfUnfinishedJobs(db);
        Set<String> aliveAtKill = jobsWithLiveProcesses(data.resolve("jobs"));

        ServerProcess second = start(data, output);
        Set<String> aliveAtRestart = jobsWithLiveProcesses(data.resolve("jobs"));
        Files.delete(hold);
        System.out.printf("crash test: points stored before the kill %s; alive at kill %s; alive at restart %s%n",
                storedBeforeKill, aliveAtKill, aliveAtRestart);
        assertThat(aliveAtRestart).as("training processes outlive the server").contains(split).isEqualTo(aliveAtKill);
        assertThat(storedBeforeKill.get(split)).as("points of " + split + " stored by the first server").isBetween(1, 4);

        SageMakerClient sm = second.client();
        DescribeHyperParameterTuningJobResponse d = Waits.until(sm, TUNING, Duration.ofSeconds(120),
                Set.of(HyperParameterTuningJobStatus.COMPLETED, HyperParameterTuningJobStatus.FAILED,
                        HyperParameterTuningJobStatus.STOPPED));

        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        var counters = d.trainingJobStatusCounters();
        assertThat(counters.completed() + counters.nonRetryableError() + counters.stopped()).isEqualTo(JOBS);
        assertThat(counters.inProgress()).isZero();

        List<HyperParameterTrainingJobSummary> jobs = sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                .hyperParameterTuningJobName(TUNING).sortBy("Name")).trainingJobSummaries().stream().toList();
        assertThat(jobs).hasSize(JOBS + counters.retryableError());
        everyRetryableFailureWasRetriedAndNoConfigurationRanTwiceOtherwise(jobs);
        noJobRanTwice(jobs, runs);

        RawClient raw = new RawClient(second.endpoint());
        List<HyperParameterTrainingJobSummary> completed = jobs.stream()
                .filter(j -> j.trainingJobStatus() == TrainingJobStatus.COMPLETED).toList();
        assertThat(completed).hasSize(counters.completed());
        assertThat(completed).extracting(HyperParameterTrainingJobSummary::trainingJobName)
                .as("re-adopted jobs completed").containsAll(aliveAtRestart);
        Map<String, List<Double>> printed = new HashMap<>();
        for (HyperParameterTrainingJobSummary j : completed) {
            List<Double> losses = logIsWhole(raw, j.trainingJobName());
            printed.put(j.trainingJobName(), losses);
            DescribeTrainingJobResponse t = sm.describeTrainingJob(r -> r.trainingJobName(j.trainingJobName()));
            assertThat(t.finalMetricDataList()).as(j.trainingJobName()).singleElement().satisfies(m -> {
                assertThat(m.metricName()).isEqualTo("loss");
                assertThat(m.value()).isEqualTo(losses.getLast().floatValue());
            });
        }
        assertThat(jobsWithLiveProcesses(data.resolve("jobs"))).as("no training process outlives its job").isEmpty();
        second.close();

        everyCompletedJobHasExactlyItsPrintedPointsStored(db, printed);
    }

    private ServerProcess start(Path data, Path output) {
        ServerProcess server = ServerProcess.start(data, output, "--stop-grace-seconds", "2");
        servers.add(server);
        return server;
    }

    /**
     * Waits until 6 or more jobs have completed and 4 run, then holds the programs (each waits before
     * its next epoch while the hold file exists) and, once the store holds every line they printed,
     * picks a running job with 1 to 3 of its 5 points stored; if there is none, lets the programs run
     * a moment and looks again. Choosing among held programs from a store that has caught up (rather
     * than racing running ones) keeps the choice right however far the store lags the logs under load:
     * the job cannot finish between the choice and the kill. Returns that job's name, the hold in place.
     */
    private static String holdMidRunWithAPartlyStoredJob(SageMakerClient sm, RawClient raw, Path db, Path hold)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the tuning job never reached the middle of its run");
            var c = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(TUNING)).trainingJobStatusCounters();
            if (c.completed() > JOBS - 2 * PARALLEL) throw new AssertionError("missed the middle of the run: " + c);
            if (c.completed() >= 6 && c.inProgress() == PARALLEL) break;
            Thread.sleep(20);
        }
        while (Instant.now().isBefore(deadline)) {
            Files.createFile(hold);
            Thread.sleep(500);   // a program past its hold check prints its epoch meanwhile
            Map<String, Integer> stored = awaitStoreHoldsWhatWasPrinted(raw, db, deadline);
            var partly = stored.entrySet().stream().filter(e -> e.getValue() >= 1 && e.getValue() <= 3)
                    .map(Map.Entry::getKey).findFirst();
            if (partly.isPresent()) return partly.get();
            Files.delete(hold);
            Thread.sleep(150);   // about half an epoch
        }
        throw new AssertionError("no running job with part of its points stored");
    }

    /** Stored points of the unfinished jobs, once each equals the epochs its log shows and none has printed all. */
    private static Map<String, Integer> awaitStoreHoldsWhatWasPrinted(RawClient raw, Path db, Instant deadline)
            throws Exception {
        while (Instant.now().isBefore(deadline)) {
            Map<String, Integer> stored = storedPointsOfUnfinishedJobs(db);
            boolean caughtUp = !stored.isEmpty();
            for (var e : stored.entrySet()) {
                int printed = printedEpochs(raw, e.getKey());
                if (printed != e.getValue() || printed == EPOCHS) caughtUp = false;
            }
            if (caughtUp) return stored;
            Thread.sleep(50);
        }
        throw new AssertionError("the store never caught up with the training logs");
    }

    private static int printedEpochs(RawClient raw, String job) {
        RawClient.Response r = raw.get("/v1/training-jobs/" + job + "/log");
        if (r.status() != 200) return -1;
        Matcher m = EPOCH_LINE.matcher(Json.parseObject(r.body()).path("Log").asText());
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** Stored metric points per training job still InProgress (names as stored keys). */
    private static Map<String, Integer> storedPointsOfUnfinishedJobs(Path db) throws Exception {
        Map<String, Integer> points = new java.util.TreeMap<>();
        try (Connection c = readOnly(db); var s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.name, (SELECT COUNT(*) FROM metric_point p WHERE p.training_job_key = t.name_key)
                FROM training_job t WHERE t.status = 'InProgress'""")) {
            while (rs.next()) points.put(rs.getString(1), rs.getInt(2));
        }
        return points;
    }

    private static Connection readOnly(Path db) throws java.sql.SQLException {
        if (TestDatabase.postgresql()) return TestDatabase.connect(db.getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
    }

    /** RetryableError jobs were really lost and each was retried with its configuration; nothing else repeats. */
    private static void everyRetryableFailureWasRetriedAndNoConfigurationRanTwiceOtherwise(
            List<HyperParameterTrainingJobSummary> jobs) {
        for (HyperParameterTrainingJobSummary j : jobs) {
            if (j.trainingJobStatus() != TrainingJobStatus.FAILED || !j.failureReason().startsWith("InternalServerError"))
                continue;
            assertThat(jobs).as("a later job retries " + j.trainingJobName())
                    .anyMatch(k -> ordinal(k) > ordinal(j) && k.tunedHyperParameters().equals(j.tunedHyperParameters()));
        }
        Map<Map<String, String>, List<HyperParameterTrainingJobSummary>> byConfiguration = jobs.stream()
                .collect(Collectors.groupingBy(HyperParameterTrainingJobSummary::tunedHyperParameters));
        assertThat(byConfiguration).hasSize(JOBS);
        byConfiguration.forEach((configuration, same) -> {
            // all but the last attempt of a configuration failed with an internal (retryable) error
            List<HyperParameterTrainingJobSummary> earlier = same.subList(0, same.size() - 1);
            assertThat(earlier).as("repeats of " + configuration).allMatch(k -> k.trainingJobStatus() == TrainingJobStatus.FAILED
                    && k.failureReason().startsWith("InternalServerError"));
        });
    }

    /** Each program appended "job lr pid" to the runs file once per run: no job launched twice. */
    static void noJobRanTwice(List<HyperParameterTrainingJobSummary> jobs, Path runs) throws IOException {
        Map<String, Long> runsPerJob = Files.readAllLines(runs).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        assertThat(runsPerJob.values()).as("runs per job " + runsPerJob).allMatch(n -> n == 1);
        for (HyperParameterTrainingJobSummary j : jobs)
            if (j.trainingJobStatus() == TrainingJobStatus.COMPLETED) assertThat(runsPerJob).containsKey(j.trainingJobName());
        assertThat(runsPerJob.keySet()).isSubsetOf(jobs.stream().map(HyperParameterTrainingJobSummary::trainingJobName).toList());
    }

    /** The log through the server's endpoint holds the five epochs, in order; returns the printed losses. */
    static List<Double> logIsWhole(RawClient raw, String job) {
        RawClient.Response r = raw.get("/v1/training-jobs/" + job + "/log");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = Json.parseObject(r.body());
        assertThat(body.path("EndOfLog").asBoolean()).as(job + " log complete").isTrue();
        List<Double> losses = new ArrayList<>();
        Matcher m = EPOCH_LINE.matcher(body.path("Log").asText());
        while (m.find()) {
            assertThat(Integer.parseInt(m.group(1))).as(job + " epoch order").isEqualTo(losses.size() + 1);
            losses.add(Double.parseDouble(m.group(2)));
        }
        assertThat(losses).as(job + " epochs in its log").hasSize(EPOCHS);
        return losses;
    }

    /** Read-only, after the servers are gone: positions 1..5, no duplicate, no gap, the printed values. */
    static void everyCompletedJobHasExactlyItsPrintedPointsStored(Path db, Map<String, List<Double>> printed)
            throws Exception {
        try (Connection c = readOnly(db);
             PreparedStatement q = c.prepareStatement("SELECT position, metric_name, value FROM metric_point "
                     + "WHERE training_job_key = ? ORDER BY position")) {
            for (var e : printed.entrySet()) {
                q.setString(1, e.getKey().toLowerCase(java.util.Locale.ROOT));
                List<Integer> positions = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        positions.add(rs.getInt(1));
                        assertThat(rs.getString(2)).isEqualTo("loss");
                        values.add(rs.getDouble(3));
                    }
                }
                assertThat(positions).as(e.getKey() + " stored positions").containsExactly(1, 2, 3, 4, 5);
                assertThat(values).as(e.getKey() + " stored values").isEqualTo(e.getValue());
            }
        }
    }

    private static int ordinal(HyperParameterTrainingJobSummary j) {
        String[] parts = j.trainingJobName().split("-");
        return Integer.parseInt(parts[parts.length - 2]);
    }

    /** Names of the job directories that some live process has as its working directory. */
    static Set<String> jobsWithLiveProcesses(Path jobsRoot) {
        Set<String> names = new TreeSet<>();
        ProcessHandle.allProcesses().forEach(p -> {
            Path cwd = cwd(p.pid());
            if (cwd != null && cwd.startsWith(jobsRoot) && !cwd.equals(jobsRoot))
                names.add(jobsRoot.relativize(cwd).getName(0).toString());
        });
        return names;
    }

    /** SIGKILLs every process group with a process working below {@code root}: what a test leaves behind. */
    static void killProcessGroupsUnder(Path root) {
        for (long group : processGroupsUnder(root)) {
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + group).start().waitFor();
            } catch (IOException | InterruptedException e) {
                // best effort: nothing else to do in a cleanup
            }
        }
    }

    static Set<Long> processGroupsUnder(Path root) {
        Set<Long> groups = new TreeSet<>();
        long own = processGroup(ProcessHandle.current().pid());
        ProcessHandle.allProcesses().forEach(p -> {
            Path cwd = cwd(p.pid());
            if (cwd != null && cwd.startsWith(root)) {
                long g = processGroup(p.pid());
                if (g > 0 && g != own) groups.add(g);
            }
        });
        return groups;
    }

    private static Path cwd(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;   // gone, or not ours to read
        }
    }

    private static long processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
