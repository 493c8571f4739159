package dev.vernier.server.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.server.store.SqliteStore;
import dev.vernier.server.store.Store;
import dev.vernier.server.training.LogChunk;
import dev.vernier.server.training.RunHandle;
import dev.vernier.server.training.RunObservation;
import dev.vernier.server.training.RunResult;
import dev.vernier.server.training.StopCause;
import dev.vernier.server.training.TrainingBackend;
import dev.vernier.server.training.TrainingJobSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's in-memory training jobs against the store: after every pass, through a retry, a
 * StopTrainingJob, a non-retryable failure and a restart of the controller, what Describe shows from
 * the ledger is byte for byte what it shows from the stored rows.
 */
class TrainingJobLedgerTest {
    static final ResourceNames NAMES = new ResourceNames("us-east-1", "123456789012");
    static final String SPEC = """
            {"HyperParameterTuningJobName": "ledger",
             "HyperParameterTuningJobConfig": {"Strategy": "Random",
               "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
               "ResourceLimits": {"MaxNumberOfTrainingJobs": 8, "MaxParallelTrainingJobs": 3},
               "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.01", "MaxValue": "0.1"}],
                                   "IntegerParameterRanges": [{"Name": "depth", "MinValue": "2", "MaxValue": "8"}]}},
             "TrainingJobDefinition": {"StaticHyperParameters": {"batch": "64"},
               "AlgorithmSpecification": {"TrainingImage": "file:///x", "TrainingInputMode": "File",
                                          "MetricDefinitions": [{"Name": "loss", "Regex": "loss=(.*)"}]}}}""";
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void describeFromTheLedgerIsTheStoredDescribeAfterEveryPassAcrossStopsRetriesAndARestart() {
        try (Store store = SqliteStore.open(dir.resolve("vernier.db"))) {
            Instant created = Instant.now();
            assertThat(store.createTuningJob(new TuningJobRecord("ledger", NAMES.tuningJobArn("ledger"),
                    TuningJobStatus.IN_PROGRESS, "Random", created, created, null, null, SPEC), List.of())).isTrue();
            ScriptedBackend backend = new ScriptedBackend();
            TuningController controller = new TuningController(store, backend, NAMES, Clock.systemUTC(), 10);
            boolean stopAsked = false;
            for (int pass = 1; pass <= 60 && !store.tuningJob("ledger").orElseThrow().status().isTerminal(); pass++) {
                if (pass == 4) controller = new TuningController(store, backend, NAMES, Clock.systemUTC(), 10);
                controller.reconcileOnce();
                TuningJobRecord tuning = store.tuningJob("ledger").orElseThrow();
                TuningProgress stored = TuningProgress.of(store.trainingJobsOf("ledger"));
                assertThat(describe(controller, tuning, controller.progress(tuning)))
                        .as("pass %d", pass).isEqualTo(describe(controller, tuning, stored));
                Optional<TrainingJobRecord> fourth = stored.running().stream().filter(j -> j.ordinal() == 4).findFirst();
                if (!stopAsked && fourth.isPresent() && fourth.get().isLaunched()) {
                    store.requestTrainingJobStop(fourth.get().name());   // as StopTrainingJob does
                    stopAsked = true;
                }
            }
            TuningJobRecord done = store.tuningJob("ledger").orElseThrow();
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

    /** DescribeHyperParameterTuningJob and DescribeTrainingJob of every job, as the API would render them. */
    private static String describe(TuningController controller, TuningJobRecord tuning, TuningProgress progress) {
        TrainingJobView jobs = new TrainingJobView(NAMES);
        StringBuilder out = new StringBuilder(new TuningJobView(jobs)
                .describe(tuning, progress, controller.plan(tuning), Optional.empty(), NOW).toString());
        progress.jobs().forEach(j -> out.append('\n').append(jobs.describe(j)));
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
        public RunHandle launch(TrainingJobSpec spec) {
            return new RunHandle(spec.trainingJobName(), "/nonexistent/" + spec.trainingJobName(), 1, 1, 0, false,
                    NOW, null, null);
        }

        @Override
        public RunObservation poll(RunHandle h) {
            int ordinal = Integer.parseInt(h.jobName().split("-")[1]);
            int n = polls.merge(h.jobName(), 1, Integer::sum);
            Instant at = NOW.plusSeconds(n);
            List<MetricPoint> loss = List.of(new MetricPoint("loss", ordinal / 10.0, at));
            if (h.stopRequestedAt() != null)
                return finished(h, RunResult.Status.STOPPED, RunResult.SecondaryStatus.STOPPED, null, at);
            if (ordinal == 2) return new RunObservation(h, RunObservation.Phase.VANISHED, List.of(), null, "killed");
            if (ordinal == 4 || n == 1) return new RunObservation(h.withLog(n, false), RunObservation.Phase.RUNNING,
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
            return handle.stopRequestedAt() != null ? handle : handle.withStop(NOW, cause);
        }

        @Override
        public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
            throw new UnsupportedOperationException();
        }
    }
}
