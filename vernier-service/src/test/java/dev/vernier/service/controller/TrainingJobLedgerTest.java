package dev.vernier.service.controller;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.service.controller.PlanReader;
import dev.vernier.store.sqlite.SqliteStore;
import dev.vernier.testkit.TestPlans;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller's in-memory training jobs against the store: after every pass, through a retry, a
 * StopTrainingJob, a non-retryable failure and a restart of the controller, what Describe shows from
 * the ledger is byte for byte what it shows from the stored rows.
 */
class TrainingJobLedgerTest {
    static final ResourceNames NAMES = new ResourceNames("us-east-1", "123456789012");
    static final String SPEC = "{}";
    static final TuningPlan PLAN = TestPlans.plan("ledger").jobs(8, 3).integer("depth", 2, 8).continuous("lr", 0.01, 0.1)
            .staticHyperParameter("batch", "64").image("file:///x").build();
    /** Every tuning job of these tests runs {@link #PLAN}. */
    static final PlanReader PLANS = new PlanReader() {
        @Override
        public TuningPlan plan(TuningJob job) {
            return PLAN;
        }

        @Override
        public TuningPlan.DefinitionPlan definition(TrainingJob job) {
            return PLAN.definition(TuningPlan.SINGLE);
        }
    };
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void describeFromTheLedgerIsTheStoredDescribeAfterEveryPassAcrossStopsRetriesAndARestart() {
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            Instant created = Instant.now();
            assertThat(store.createTuningJob(TuningJob.created("ledger", NAMES.tuningJobArn("ledger"), "Random", created,
                    SPEC), List.of())).isTrue();
            ScriptedBackend backend = new ScriptedBackend();
            TuningController controller = new TuningController(store, backend, PLANS, NAMES, Clock.systemUTC(), 10);
            boolean stopAsked = false;
            for (int pass = 1; pass <= 60 && !store.tuningJob("ledger").orElseThrow().status().isTerminal(); pass++) {
                if (pass == 4) {   // a restart: the old controller gives up its leases, a new one takes them
                    controller.close();
                    controller = new TuningController(store, backend, PLANS, NAMES, Clock.systemUTC(), 10);
                }
                controller.reconcileOnce();
                TuningJob tuning = store.tuningJob("ledger").orElseThrow();
                TuningProgress stored = TuningProgress.of(store.trainingJobsOf("ledger"));
                assertThat(describe(controller, tuning, controller.progress(tuning)))
                        .as("pass %d", pass).isEqualTo(describe(controller, tuning, stored));
                Optional<TrainingJob> fourth = stored.running().stream().filter(j -> j.ordinal() == 4).findFirst();
                if (!stopAsked && fourth.isPresent() && fourth.get().isLaunched()) {
                    store.requestTrainingJobStop(fourth.get().name());   // as StopTrainingJob does
                    stopAsked = true;
                }
            }
            TuningJob done = store.tuningJob("ledger").orElseThrow();
            assertThat(done.status()).isEqualTo(TuningJobStatus.COMPLETED);
            TuningProgress p = controller.progress(done);
            assertThat(p.count(TrainingJobStatus.COMPLETED)).isEqualTo(6);
            assertThat(p.count(TrainingJobStatus.STOPPED)).isEqualTo(1);
            assertThat(p.retryableErrors()).isEqualTo(1);
            assertThat(p.nonRetryableErrors()).isEqualTo(1);
            assertThat(p.jobs()).hasSize(9);
            assertThat(p.counted()).isEqualTo(8);
        }
    }

    /**
     * What Describe renders from: the tuning job and every training job, written out field by field in
     * iteration order (so hyperparameter maps must iterate alike, as the rendered JSON would).
     */
    private static String describe(TuningController controller, TuningJob tuning, TuningProgress progress) {
        StringBuilder out = new StringBuilder(tuning.toString()).append('\n').append(controller.plan(tuning));
        progress.jobs().forEach(j -> out.append('\n').append(j));
        out.append('\n').append(progress.counted()).append(' ').append(progress.superseded());
        return out.toString();
    }

    /**
     * Runs do what their ordinal says, one step per poll: 2 vanishes (a retryable internal error), 4
     * runs until it is stopped, 5 fails, every other reports its loss and then completes.
     */
    static final class ScriptedBackend implements TrainingBackend {
        private final Map<String, Integer> polls = new ConcurrentHashMap<>();

        @Override
        public void check(TrainingJobSpec spec) {}

        @Override
        public LaunchedRun launch(TrainingJobSpec spec) {
            return new LaunchedRun(handle(spec.trainingJobName(), 0, false), NOW);
        }

        /** The scripted run's state as handle text: the job's name, the polls it has seen, whether a stop was asked. */
        private static RunHandle handle(String job, int polls, boolean stopped) {
            return new RunHandle(job + " " + polls + " " + stopped);
        }

        private static String job(RunHandle h) {
            return h.value().split(" ")[0];
        }

        private static boolean stopped(RunHandle h) {
            return h.value().endsWith(" true");
        }

        @Override
        public RunObservation poll(RunHandle h) {
            int ordinal = Integer.parseInt(job(h).split("-")[1]);
            int n = polls.merge(job(h), 1, Integer::sum);
            Instant at = NOW.plusSeconds(n);
            List<MetricPoint> loss = List.of(new MetricPoint("loss", ordinal / 10.0, at));
            if (stopped(h))
                return finished(h, RunResult.Status.STOPPED, RunResult.SecondaryStatus.STOPPED, null, at);
            if (ordinal == 2) return new RunObservation(h, RunObservation.Phase.VANISHED, List.of(), null, "killed");
            if (ordinal == 4 || n == 1) return new RunObservation(handle(job(h), n, false), RunObservation.Phase.RUNNING,
                    n == 1 ? loss : List.of(), null, null);
            if (ordinal == 5) return finished(h, RunResult.Status.FAILED, RunResult.SecondaryStatus.FAILED, "ClientError: bad", at);
            return finished(h, RunResult.Status.COMPLETED, RunResult.SecondaryStatus.COMPLETED, null, at);
        }

        private static RunObservation finished(RunHandle h, RunResult.Status status, RunResult.SecondaryStatus secondary,
                                               String reason, Instant at) {
            return new RunObservation(h, RunObservation.Phase.FINISHED, List.of(),
                    new RunResult(status, secondary, reason, 0, null, NOW, at), null);
        }

        @Override
        public RunHandle stop(RunHandle handle, StopCause cause) {
            return stopped(handle) ? handle : handle(job(handle), 0, true);
        }

        @Override
        public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
            throw new UnsupportedOperationException();
        }
    }
}
