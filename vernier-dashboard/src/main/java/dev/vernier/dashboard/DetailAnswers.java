package dev.vernier.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.service.TuningJobDetails;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tuning-job page's first answer, the costliest the dashboard serves (at 10,000 training jobs: sampling,
 * best-so-far lines, importances, the completion state). What the charts draw of the finished jobs is kept per tuning
 * job until another training job finishes (finished ones never change); the whole answer, serialised and gzipped, is
 * kept while nothing in the tuning job changes, for at most {@link #RUNNING_MAX_AGE_NANOS} while jobs run (their
 * timeline bars grow with the clock). Only the last {@link #KEPT} tuning jobs asked for are kept.
 */
final class DetailAnswers {
    private static final int KEPT = 4;
    private static final long RUNNING_MAX_AGE_NANOS = 1_000_000_000L;

    /** The answer's bytes, gzipped too, and how it was made (for a Server-Timing header). */
    record Answer(byte[] json, byte[] gzipped, String timing) {}

    private record Kept<T>(String fingerprint, long builtNanos, boolean ages, T value) {}

    private final Map<String, Kept<TuningJobView.Finished>> finished = lru();
    private final Map<String, Kept<Answer>> answers = lru();

    Answer answer(TuningJobDetails d) {
        long start = System.nanoTime();
        String key = d.job().name().toLowerCase(Locale.ROOT);
        int finishedCount = 0;
        long newest = 0, newestFinished = 0;
        boolean running = false;
        for (TrainingJob j : d.progress().jobs()) {
            long modified = j.lastModifiedTime() == null ? 0 : j.lastModifiedTime().toEpochMilli();
            newest = Math.max(newest, modified);
            if (j.isRunning()) {
                running = true;
            } else {
                finishedCount++;
                newestFinished = Math.max(newestFinished, modified);
            }
        }
        String whole = d.job().version() + "/" + d.progress().jobs().size() + "/" + newest + "/" + running;
        Kept<Answer> kept = answers.get(key);
        if (kept != null && kept.fingerprint().equals(whole) && !(kept.ages() && start - kept.builtNanos() > RUNNING_MAX_AGE_NANOS))
            return new Answer(kept.value().json(), kept.value().gzipped(), "answer;desc=kept;dur=" + millis(start));

        String ofFinished = finishedCount + "/" + newestFinished;
        Kept<TuningJobView.Finished> summary = finished.get(key);
        boolean summaryKept = summary != null && summary.fingerprint().equals(ofFinished);
        if (!summaryKept) {
            summary = new Kept<>(ofFinished, start, false, TuningJobView.finished(d));
            finished.put(key, summary);
        }
        long summarised = System.nanoTime();
        byte[] json;
        try {
            json = Http.JSON.writeValueAsBytes(TuningJobView.detail(d, summary.value()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        long built = System.nanoTime();
        byte[] gzipped = Http.gzip(json);
        String timing = "finished;desc=" + (summaryKept ? "kept" : "computed") + ";dur=" + millis(start, summarised)
                + ", build;dur=" + millis(summarised, built) + ", gzip;dur=" + millis(built, System.nanoTime());
        Answer answer = new Answer(json, gzipped, timing);
        answers.put(key, new Kept<>(whole, start, running, answer));
        return answer;
    }

    private static String millis(long from) {
        return millis(from, System.nanoTime());
    }

    private static String millis(long from, long to) {
        return String.format(Locale.ROOT, "%.1f", (to - from) / 1e6);
    }

    private static <T> Map<String, T> lru() {
        return Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
                return size() > KEPT;
            }
        });
    }
}
