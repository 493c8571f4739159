package dev.vernier.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code vernier watch} shows of a tuning job: a progress bar of finished training jobs out of
 * the budget, the running jobs, the best objective so far with its trend, and the elapsed time.
 */
public final class ProgressView {
    private static final String SPARKS = "▁▂▃▄▅▆▇█";
    private static final int BAR = 30;

    private ProgressView() {}

    /** The lines of the live (terminal) view. */
    public static List<String> lines(TuningSnapshot s, Duration elapsed, int width) {
        List<String> lines = new ArrayList<>();
        lines.add(clip(String.format("Tuning job %s  %s  %s, %s %s  elapsed %s", s.name(), s.status(), s.strategy(),
                s.minimize() ? "minimize" : "maximize", s.metricName(), clock(elapsed)), width));
        int total = Math.max(s.maxJobs(), s.finished());
        int done = s.finished();
        int filled = total == 0 ? 0 : Math.min(BAR, done * BAR / total);
        JsonNode c = s.counters();
        lines.add(clip(String.format("[%s%s] %d/%d training jobs done  %d running  %d failed  %d stopped",
                "#".repeat(filled), "-".repeat(BAR - filled), done, total, s.running(),
                c.path("NonRetryableError").asInt() + c.path("RetryableError").asInt(), c.path("Stopped").asInt()), width));
        lines.add(clip(bestLine(s), width));
        lines.add(clip("Trend: " + trend(s), width));
        List<String> running = new ArrayList<>();
        for (JsonNode j : s.trainingJobs()) {
            if ("InProgress".equals(j.path("TrainingJobStatus").asText())) running.add(j.path("TrainingJobName").asText());
        }
        lines.add(clip("Running: " + (running.isEmpty() ? "-" : String.join(", ", running)), width));
        String failure = lastFailure(s);
        if (failure != null) lines.add(clip(failure, width));
        return lines;
    }

    /**
     * "Last failure: NAME: first line … last line" of the failed training job that ended last, or null
     * when none failed: the first line says what ended it, the last is usually the program's own last word.
     */
    static String lastFailure(TuningSnapshot s) {
        JsonNode last = null;
        for (JsonNode j : s.trainingJobs()) {
            if (j.path("FailureReason").asText("").isBlank()) continue;
            if (last == null || j.path("TrainingEndTime").asDouble(0) >= last.path("TrainingEndTime").asDouble(0)) last = j;
        }
        if (last == null) return null;
        List<String> reason = last.path("FailureReason").asText().strip().lines().filter(l -> !l.isBlank()).toList();
        String text = reason.size() == 1 ? reason.get(0) : reason.get(0) + " … " + reason.get(reason.size() - 1).strip();
        return "Last failure: " + last.path("TrainingJobName").asText() + ": " + text;
    }

    public static String bestLine(TuningSnapshot s) {
        JsonNode best = s.best();
        if (best.isMissingNode()) return "Best " + s.metricName() + ": none yet";
        return String.format("Best %s: %s  (%s, %s)", s.metricName(),
                number(best.path("FinalHyperParameterTuningJobObjectiveMetric").path("Value").asDouble()),
                best.path("TrainingJobName").asText(), hyperParameters(best.path("TunedHyperParameters")));
    }

    /** A sparkline of each finished job's objective in the order they ended, and the run of improvements. */
    public static String trend(TuningSnapshot s) {
        List<Double> values = s.objectives();
        if (values.isEmpty()) return "-";
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder spark = new StringBuilder();
        List<String> improvements = new ArrayList<>();
        Double best = null;
        for (double v : values) {
            int level = max == min ? 0 : (int) Math.round((v - min) / (max - min) * (SPARKS.length() - 1));
            spark.append(SPARKS.charAt(level));
            if (best == null || (s.minimize() ? v < best : v > best)) {
                best = v;
                improvements.add(number(v));
            }
        }
        List<String> shown = improvements.size() > 6 ? improvements.subList(improvements.size() - 6, improvements.size()) : improvements;
        return spark + "  best so far " + (shown.size() < improvements.size() ? "... " : "") + String.join(" → ", shown);
    }

    public static String hyperParameters(JsonNode tuned) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        tuned.properties().forEach(e -> sorted.put(e.getKey(), shortValue(e.getValue().asText())));
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    private static String shortValue(String v) {
        try {
            if (v.contains(".") || v.contains("e")) return number(Double.parseDouble(v));
        } catch (NumberFormatException ignored) {
            // a categorical value
        }
        return v;
    }

    public static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    public static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }

    private static String clip(String line, int width) {
        return line.length() <= width ? line : line.substring(0, Math.max(0, width - 1)) + "…";
    }
}
