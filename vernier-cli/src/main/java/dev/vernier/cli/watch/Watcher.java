package dev.vernier.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.cli.Terminal;
import dev.vernier.cli.aws.SageMakerHttp;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a tuning job until it ends. On a terminal it redraws {@link ProgressView} in place with
 * ANSI escapes (cursor up, clear line); otherwise it prints one plain line per event: a training job
 * ending, a new best, the tuning job's status changing.
 */
public final class Watcher {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** The time of day that starts a plain line; always HH:mm:ss (LocalTime.toString drops ":00" seconds). */
    static String clock(LocalTime time) {
        return time.format(CLOCK);
    }
    private final SageMakerHttp http;
    private final PrintStream out;
    private final boolean live;
    private final Duration interval;
    private final Set<String> reported = new HashSet<>();
    private String lastStatus;
    private String lastBest;
    private int drawnLines;

    public Watcher(SageMakerHttp http, PrintStream out, boolean live, Duration interval) {
        this.http = http;
        this.out = out;
        this.live = live;
        this.interval = interval;
    }

    public static Watcher forStdout(SageMakerHttp http, Boolean plain) {
        boolean live = plain == null ? Terminal.isTerminal() : !plain;
        return new Watcher(http, System.out, live, Duration.ofMillis(live ? 500 : 1000));
    }

    /** Watches until the tuning job is terminal; answers the last snapshot. */
    public TuningSnapshot watch(String name) throws InterruptedException {
        Instant start = Instant.now();
        while (true) {
            TuningSnapshot s = TuningSnapshot.fetch(http, name);
            Duration elapsed = elapsedSince(s, start);
            if (live) draw(s, elapsed);
            else plain(s);
            if (s.isTerminal()) {
                out.flush();
                return s;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** Elapsed time of the tuning job itself when the server says when it began. */
    private static Duration elapsedSince(TuningSnapshot s, Instant fallback) {
        double created = s.describe().path("CreationTime").asDouble(0);
        Instant begin = created > 0 ? Instant.ofEpochMilli((long) (created * 1000)) : fallback;
        double ended = s.describe().path("HyperParameterTuningEndTime").asDouble(0);
        Instant end = ended > 0 && s.isTerminal() ? Instant.ofEpochMilli((long) (ended * 1000)) : Instant.now();
        Duration d = Duration.between(begin, end);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void draw(TuningSnapshot s, Duration elapsed) {
        List<String> lines = ProgressView.lines(s, elapsed, Terminal.width());
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) frame.append("\033[").append(drawnLines).append('F');
        for (String line : lines) frame.append("\033[2K").append(line).append('\n');
        drawnLines = lines.size();
        out.print(frame);
        out.flush();
    }

    private void plain(TuningSnapshot s) {
        String time = clock(LocalTime.now());
        for (JsonNode j : s.trainingJobs()) {
            String status = j.path("TrainingJobStatus").asText();
            String name = j.path("TrainingJobName").asText();
            if (status.equals("InProgress") || status.equals("Stopping") || !reported.add(name)) continue;
            JsonNode metric = j.path("FinalHyperParameterTuningJobObjectiveMetric");
            String reason = j.path("FailureReason").asText("").strip();
            String objective = !metric.isMissingNode() ? " " + s.metricName() + "=" + ProgressView.number(metric.path("Value").asDouble())
                    : reason.isEmpty() ? " no objective" : "";
            out.printf("%s [%d/%d] %s %s%s  %s%n", time, reported.size(), s.maxJobs(), name, status, objective,
                    ProgressView.hyperParameters(j.path("TunedHyperParameters")));
            // a failed job's reason, its log lines included, indented under it
            if (!reason.isEmpty()) reason.lines().forEach(l -> out.printf("    %s%n", l));
        }
        String best = ProgressView.bestLine(s);
        if (!s.best().isMissingNode() && !best.equals(lastBest)) {
            out.printf("%s %s%n", time, best);
            lastBest = best;
        }
        // after the jobs, so that the lines read in the order things happened
        if (!s.status().equals(lastStatus)) {
            out.printf("%s %s %s (%s, %d training jobs, %s %s)%n", time, s.name(), s.status(), s.strategy(), s.maxJobs(),
                    s.minimize() ? "minimize" : "maximize", s.metricName());
            lastStatus = s.status();
        }
        if (s.isTerminal()) {
            out.printf("%s %s %s: %d/%d training jobs done; trend %s%n", time, s.name(), s.status(), s.finished(),
                    s.maxJobs(), ProgressView.trend(s));
            String reason = s.describe().path("FailureReason").asText("");
            if (!reason.isEmpty()) out.printf("%s FailureReason: %s%n", time, reason);
        }
        out.flush();
    }
}
