package dev.vernier.service.controller;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vernier.service.controller.TrainingJobLedgerTest.NAMES;
import static dev.vernier.service.controller.TrainingJobLedgerTest.PLANS;
import static dev.vernier.service.controller.TrainingJobLedgerTest.SPEC;
import static org.assertj.core.api.Assertions.assertThat;

/** Passes that find nothing new space out; new metric points or a wake-up bring them back to the period. */
class QuietPassesTest {
    @TempDir Path dir;

    @Test
    void the_wait_doubles_after_each_quiet_pass_up_to_a_second() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 16)).map(n -> TuningController.quietWait(100, n))
                .containsExactly(100L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(TuningController.quietWait(2_000, 5)).isEqualTo(2_000);
    }

    @Test
    void a_running_job_that_prints_nothing_is_polled_less_and_less_and_one_that_prints_at_every_period() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean printing = new AtomicBoolean();
        AtomicInteger step = new AtomicInteger();
        TrainingBackend backend = new TrainingBackend() {
            @Override public void check(TrainingJobSpec spec) {}

            @Override public LaunchedRun launch(TrainingJobSpec spec) {
                return new LaunchedRun(new RunHandle(spec.trainingJobName()), Instant.now());
            }

            @Override public RunObservation poll(RunHandle h) {
                polls.incrementAndGet();
                List<MetricPoint> points = printing.get()
                        ? List.of(new MetricPoint("loss", 1.0 / (1 + step.getAndIncrement()), Instant.now()))
                        : List.of();
                return new RunObservation(h, RunObservation.Phase.RUNNING, points, null, null);
            }

            @Override public RunHandle stop(RunHandle handle, StopCause cause) { return handle; }

            @Override public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
                throw new UnsupportedOperationException();
            }
        };
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"));
             var controller = new TuningController(store, backend, PLANS, NAMES, Clock.systemUTC(), 1)) {
            store.createTuningJob(TuningJob.created("ledger", NAMES.tuningJobArn("ledger"), "Random", Instant.now(), SPEC),
                    List.of());
            controller.start(50);
            while (store.trainingJobsOf("ledger").isEmpty() || !store.trainingJobsOf("ledger").getFirst().isLaunched())
                Thread.sleep(20);
            Thread.sleep(1_000);   // backs off

            int before = polls.get();
            Thread.sleep(3_000);
            int quiet = polls.get() - before;
            // at the 50 ms period this was 60 polls; spaced out to a second, 3 or 4
            assertThat(quiet).as("polls in 3 s of a job printing nothing").isBetween(1, 8);

            printing.set(true);
            controller.wake();
            Thread.sleep(200);
            before = polls.get();
            Thread.sleep(2_000);
            // every pass reads a new point, so none is quiet: 40 at the 50 ms period (fewer on a loaded machine)
            assertThat(polls.get() - before).as("polls in 2 s of a job printing at every poll").isGreaterThan(15);
        }
    }
}
