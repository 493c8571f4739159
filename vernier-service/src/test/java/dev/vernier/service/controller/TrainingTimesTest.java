package dev.vernier.service.controller;

import dev.vernier.core.store.Store;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.tuning.StatusTransition;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vernier.service.controller.TrainingJobLedgerTest.NAMES;
import static dev.vernier.service.controller.TrainingJobLedgerTest.PLANS;
import static dev.vernier.service.controller.TrainingJobLedgerTest.SPEC;
import static org.assertj.core.api.Assertions.assertThat;

class TrainingTimesTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir Path dir;

    @Test
    void a_program_that_ends_before_its_slow_launch_is_recorded_still_starts_training_before_it_ends() {
        var clock = new SettableClock(T);
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            store.createTuningJob(TuningJob.created("ledger", NAMES.tuningJobArn("ledger"), "Random", T, SPEC), List.of());
            // The program starts 1 s after the job is created and ends at 2 s; the launch returns at 5 s.
            TrainingBackend backend = new TrainingBackend() {
                @Override public void check(TrainingJobSpec spec) {}

                @Override public LaunchedRun launch(TrainingJobSpec spec) {
                    clock.now = T.plusSeconds(5);
                    return new LaunchedRun(new RunHandle(spec.trainingJobName()), T.plusSeconds(1));
                }

                @Override public RunObservation poll(RunHandle h) {
                    return new RunObservation(h, RunObservation.Phase.FINISHED, List.of(), new RunResult(
                            RunResult.Status.COMPLETED, RunResult.SecondaryStatus.COMPLETED, null, 0, null,
                            T.plusSeconds(1), T.plusSeconds(2)), null);
                }

                @Override public RunHandle stop(RunHandle handle, StopCause cause) { return handle; }

                @Override public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
                    throw new UnsupportedOperationException();
                }
            };
            var controller = new TuningController(store, backend, PLANS, NAMES, clock, 1);
            controller.reconcileOnce();   // creates and launches the first job
            controller.reconcileOnce();   // sees it finished

            TrainingJob job = store.trainingJobsOf("ledger").getFirst();
            assertThat(job.trainingStartTime()).isEqualTo(T.plusSeconds(1));
            assertThat(job.trainingEndTime()).isEqualTo(T.plusSeconds(2));
            assertThat(job.transitions()).extracting(StatusTransition::status)
                    .containsExactly("Starting", "Training", "Completed");
            for (int i = 1; i < job.transitions().size(); i++)
                assertThat(job.transitions().get(i).start()).as("transition %d", i)
                        .isAfterOrEqualTo(job.transitions().get(i - 1).start());
        }
    }

    @Test
    void a_job_waiting_to_start_is_starting_with_the_backends_reason_and_trains_from_when_a_poll_no_longer_waits() {
        var clock = new SettableClock(T);
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            store.createTuningJob(TuningJob.created("ledger", NAMES.tuningJobArn("ledger"), "Random", T, SPEC), List.of());
            // launched at 1 s, waits in a queue ("Resources") until a poll at 3 s, runs; ends at 4 s
            var said = new java.util.ArrayDeque<>(List.of("Resources", "Resources", "Priority"));
            TrainingBackend backend = new TrainingBackend() {
                @Override public void check(TrainingJobSpec spec) {}

                @Override public LaunchedRun launch(TrainingJobSpec spec) {
                    clock.now = T.plusSeconds(1);
                    return new LaunchedRun(new RunHandle(spec.trainingJobName()), T.plusSeconds(1), "Submitting");
                }

                @Override public RunObservation poll(RunHandle h) {
                    if (!said.isEmpty())
                        return new RunObservation(h, RunObservation.Phase.RUNNING, List.of(), null, null, said.poll());
                    if (clock.now.isBefore(T.plusSeconds(4)))
                        return new RunObservation(h, RunObservation.Phase.RUNNING, List.of(), null, null);
                    return new RunObservation(h, RunObservation.Phase.FINISHED, List.of(), new RunResult(
                            RunResult.Status.COMPLETED, RunResult.SecondaryStatus.COMPLETED, null, 0, null,
                            T.plusSeconds(1), T.plusSeconds(4)), null);
                }

                @Override public RunHandle stop(RunHandle handle, StopCause cause) { return handle; }

                @Override public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
                    throw new UnsupportedOperationException();
                }
            };
            var controller = new TuningController(store, backend, PLANS, NAMES, clock, 1);
            controller.reconcileOnce();   // creates and launches the first job
            TrainingJob launched = store.trainingJobsOf("ledger").getFirst();
            assertThat(launched.secondaryStatus()).isEqualTo("Starting");
            assertThat(launched.transitions().getLast().message()).isEqualTo("Submitting");
            assertThat(launched.trainingStartTime()).isNull();

            clock.now = T.plusSeconds(2);
            controller.reconcileOnce();   // "Resources"
            controller.reconcileOnce();   // "Resources" again: nothing to store
            TrainingJob waiting = store.trainingJobsOf("ledger").getFirst();
            assertThat(waiting.secondaryStatus()).isEqualTo("Starting");
            assertThat(waiting.transitions()).extracting(StatusTransition::message).containsExactly("Resources");
            controller.reconcileOnce();   // "Priority"
            assertThat(store.trainingJobsOf("ledger").getFirst().transitions()).extracting(StatusTransition::message)
                    .containsExactly("Priority");

            clock.now = T.plusSeconds(3);
            controller.reconcileOnce();   // started
            TrainingJob training = store.trainingJobsOf("ledger").getFirst();
            assertThat(training.secondaryStatus()).isEqualTo("Training");
            assertThat(training.trainingStartTime()).isEqualTo(T.plusSeconds(3));

            clock.now = T.plusSeconds(5);
            controller.reconcileOnce();   // ended at 4 s
            TrainingJob done = store.trainingJobsOf("ledger").getFirst();
            assertThat(done.transitions()).extracting(StatusTransition::status)
                    .containsExactly("Starting", "Training", "Completed");
            assertThat(done.transitions()).extracting(StatusTransition::start)
                    .containsExactly(T, T.plusSeconds(3), T.plusSeconds(4));
        }
    }

    @Test
    void a_job_that_ends_before_any_poll_saw_it_start_trains_from_its_end_not_after_it() {
        var clock = new SettableClock(T);
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            store.createTuningJob(TuningJob.created("ledger", NAMES.tuningJobArn("ledger"), "Random", T, SPEC), List.of());
            TrainingBackend backend = new TrainingBackend() {
                @Override public void check(TrainingJobSpec spec) {}

                @Override public LaunchedRun launch(TrainingJobSpec spec) {
                    return new LaunchedRun(new RunHandle(spec.trainingJobName()), T, "Submitting");
                }

                @Override public RunObservation poll(RunHandle h) {
                    return new RunObservation(h, RunObservation.Phase.FINISHED, List.of(), new RunResult(
                            RunResult.Status.COMPLETED, RunResult.SecondaryStatus.COMPLETED, null, 0, null,
                            T, T.plusSeconds(2)), null);
                }

                @Override public RunHandle stop(RunHandle handle, StopCause cause) { return handle; }

                @Override public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
                    throw new UnsupportedOperationException();
                }
            };
            var controller = new TuningController(store, backend, PLANS, NAMES, clock, 1);
            controller.reconcileOnce();
            clock.now = T.plusSeconds(5);
            controller.reconcileOnce();

            TrainingJob job = store.trainingJobsOf("ledger").getFirst();
            assertThat(job.trainingStartTime()).isEqualTo(T.plusSeconds(2));
            assertThat(job.trainingEndTime()).isEqualTo(T.plusSeconds(2));
            assertThat(job.transitions()).extracting(StatusTransition::status)
                    .containsExactly("Starting", "Training", "Completed");
        }
    }

    static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }

    }
}
