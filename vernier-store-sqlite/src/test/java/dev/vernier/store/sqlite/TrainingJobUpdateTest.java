package dev.vernier.store.sqlite;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** updateTrainingJob writes a job's lifecycle only; what is read back is the snapshot that was stored. */
class TrainingJobUpdateTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everyLifecycleSnapshotReadsBackEqualAndMetricPointsContinueTheSeries() {
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            store.createTuningJob(new TuningJob("t", "arn:t", TuningJobStatus.IN_PROGRESS, "Random", T0, T0, null,
                    null, "{}"), List.of());
            TrainingJob starting = TrainingJob.starting("t-001-abcdef01", "arn:j", "t", 1, null,
                    Map.of("lr", "0.5", "batch", "64", "note", "quote \" and \\ and é"), Map.of("lr", "0.5"), null,
                    "{\"TuningObjective\":{\"Type\":\"Minimize\",\"MetricName\":\"loss\"}}", T0);
            store.addTrainingJobs("t", List.of(starting), "state");
            assertThat(store.trainingJob("t-001-abcdef01")).contains(starting);

            TrainingJob launched = starting.launched(new RunHandle("{\"pid\":1}"), T0.plusSeconds(1));
            assertThat(store.updateTrainingJob(launched, List.of())).isTrue();
            assertThat(store.trainingJob("T-001-ABCDEF01")).contains(launched);

            List<MetricPoint> first = List.of(new MetricPoint("loss", 0.75, T0.plusSeconds(2)),
                    new MetricPoint("acc", 0.5, T0.plusSeconds(2)));
            TrainingJob observed = launched.observed(new RunHandle("{\"pid\":1,\"offset\":9}"),
                    List.of(new MetricValue("loss", 0.75, T0.plusSeconds(2)), new MetricValue("acc", 0.5, T0.plusSeconds(2))));
            assertThat(store.updateTrainingJob(observed, first)).isTrue();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(observed);

            TrainingJob stopping = observed.stopping(new RunHandle("{\"pid\":1,\"stop\":true}"), T0.plusSeconds(3));
            assertThat(store.updateTrainingJob(stopping, List.of())).isTrue();
            MetricPoint last = new MetricPoint("loss", 0.25, T0.plusSeconds(4));
            TrainingJob finished = stopping.finished(TrainingJobStatus.STOPPED, "Stopped", null, false,
                    new RunHandle("{\"pid\":1,\"done\":true}"), List.of(new MetricValue("loss", 0.25, T0.plusSeconds(4)),
                            new MetricValue("acc", 0.5, T0.plusSeconds(2))), 0.25, "file:///m.tar.gz",
                    T0.plusSeconds(5), 4L, "Training job stopped");
            assertThat(store.updateTrainingJob(finished, List.of(last))).isTrue();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(finished);
            assertThat(store.trainingJobsOf("t")).containsExactly(finished);
            assertThat(store.metricSeries("t-001-abcdef01")).containsExactly(first.get(0), first.get(1), last);

            assertThat(store.updateTrainingJob(launched, List.of(last))).as("a finished job is final").isFalse();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(finished);
            assertThat(store.metricSeries("t-001-abcdef01")).hasSize(3);
        }
    }
}
