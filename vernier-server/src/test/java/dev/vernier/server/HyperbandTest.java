package dev.vernier.server;

import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStrategyType;
import software.amazon.awssdk.services.sagemaker.model.ObjectiveStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** Strategy Hyperband with a real per-epoch program: rungs stop weak jobs, promising ones reach MaxResource. */
class HyperbandTest {
    static final int EPOCHS = 9;
    @TempDir
    Path dir;

    static CreateHyperParameterTuningJobRequest hyperband(String name, int maxJobs, int parallel, String sleep) {
        CreateHyperParameterTuningJobRequest r = Requests.create(name, Programs.image("curve.sh"),
                Map.of("SLEEP_SECONDS", sleep), maxJobs, parallel);
        return r.toBuilder()
                .hyperParameterTuningJobConfig(r.hyperParameterTuningJobConfig().toBuilder().randomSeed(21)
                        .strategy(HyperParameterTuningJobStrategyType.HYPERBAND)
                        .strategyConfig(s -> s.hyperbandStrategyConfig(h -> h.minResource(1))).build())
                // MaxResource is inferred from the static epochs; the program runs that many epochs
                .trainingJobDefinition(r.trainingJobDefinition().toBuilder()
                        .staticHyperParameters(Map.of("epochs", Integer.toString(EPOCHS))).build())
                .build();
    }

    /** How long each epoch takes: long enough for a stop at a rung to reach a job before its last epoch. */
    String epochSeconds() {
        return "0.1";
    }

    @Test
    void hyperbandStopsJobsAtLowRungsAndLetsPromisingOnesReachMaxResource() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            sm.createHyperParameterTuningJob(hyperband("hb", 15, 3, epochSeconds()));
            DescribeHyperParameterTuningJobResponse d = Waits.terminal(sm, "hb");
            assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
            List<HyperParameterTrainingJobSummary> jobs = jobs(sm, "hb");
            assertThat(jobs).hasSize(15).allMatch(j -> j.objectiveStatus() == ObjectiveStatus.SUCCEEDED);
            List<HyperParameterTrainingJobSummary> stopped = jobs.stream()
                    .filter(j -> j.trainingJobStatus() == TrainingJobStatus.STOPPED).toList();
            // every stop is a stored decision: at a rung (1 or 3) for jobs stopped early, or at MaxResource
            Map<String, Integer> decided = new java.util.HashMap<>();
            for (String row : rows(dir, "SELECT training_job_key || ' ' || step FROM job_decision WHERE kind = 'HYPERBAND_STOP'"))
                decided.put(row.split(" ")[0], Integer.parseInt(row.split(" ")[1]));
            assertThat(decided.values()).allMatch(step -> step == 1 || step == 3 || step == EPOCHS);
            List<HyperParameterTrainingJobSummary> stoppedAtRungs = stopped.stream()
                    .filter(j -> decided.getOrDefault(j.trainingJobName().toLowerCase(), EPOCHS) < EPOCHS).toList();
            assertThat(stoppedAtRungs).isNotEmpty();
            for (HyperParameterTrainingJobSummary j : stopped) assertThat(decided).containsKey(j.trainingJobName().toLowerCase());
            for (HyperParameterTrainingJobSummary j : stoppedAtRungs) assertThat(epochs(server, j)).isLessThan(EPOCHS);
            assertThat(jobs).filteredOn(j -> epochs(server, j) == EPOCHS).isNotEmpty();
            HyperParameterTrainingJobSummary best = jobs.stream()
                    .filter(j -> j.trainingJobName().equals(d.bestTrainingJob().trainingJobName())).findFirst().orElseThrow();
            assertThat(epochs(server, best)).isEqualTo(EPOCHS);
            assertThat(Double.parseDouble(best.tunedHyperParameters().get("lr"))).isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void aRestartInTheMiddleOfAHyperbandJobKeepsItsDecisions() throws Exception {
        TestServer server = TestServer.start(dir);
        server.client().createHyperParameterTuningJob(hyperband("hbr", 12, 3, "0.25"));
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline && (rows(dir, "SELECT 1 FROM job_decision WHERE kind <> 'PROMOTION'").isEmpty()
                || rows(dir, "SELECT 1 FROM job_decision WHERE kind = 'PROMOTION'").isEmpty())) Thread.sleep(100);
        server = server.restart();
        List<String> stopsBefore = rows(dir, "SELECT training_job_key || ' ' || step || ' ' || decided_at FROM job_decision WHERE kind <> 'PROMOTION'");
        List<String> promotionsBefore = rows(dir, "SELECT training_job_key || ' ' || step || ' ' || decided_at FROM job_decision WHERE kind = 'PROMOTION'");
        assertThat(stopsBefore).isNotEmpty();
        assertThat(promotionsBefore).isNotEmpty();
        try (TestServer s = server) {
            DescribeHyperParameterTuningJobResponse d = Waits.terminal(s.client(), "hbr");
            assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
            assertThat(rows(dir, "SELECT training_job_key || ' ' || step || ' ' || decided_at FROM job_decision WHERE kind <> 'PROMOTION'"))
                    .containsAll(stopsBefore);
            assertThat(rows(dir, "SELECT training_job_key || ' ' || step || ' ' || decided_at FROM job_decision WHERE kind = 'PROMOTION'"))
                    .containsAll(promotionsBefore);
            // a job is never stopped at a rung it was promoted at, before or after the restart
            assertThat(rows(dir, "SELECT 1 FROM job_decision d JOIN job_decision p ON p.training_job_key = d.training_job_key"
                    + " AND p.step >= d.step WHERE d.kind <> 'PROMOTION' AND p.kind = 'PROMOTION'")).isEmpty();
            // the jobs stopped before the restart ended Stopped
            for (String stop : stopsBefore) {
                String name = jobs(s.client(), "hbr").stream().filter(j -> stop.startsWith(j.trainingJobName().toLowerCase() + " "))
                        .findFirst().orElseThrow().trainingJobName();
                assertThat(s.client().describeTrainingJob(q -> q.trainingJobName(name)).trainingJobStatus())
                        .isIn(TrainingJobStatus.STOPPED, TrainingJobStatus.COMPLETED);
            }
        }
    }

    static List<HyperParameterTrainingJobSummary> jobs(SageMakerClient sm, String name) {
        return sm.listTrainingJobsForHyperParameterTuningJobPaginator(q -> q.hyperParameterTuningJobName(name))
                .trainingJobSummaries().stream().toList();
    }

    static int epochs(TestServer server, HyperParameterTrainingJobSummary j) {
        String log = new RawClient(server.endpoint()).get("/v1/training-jobs/" + j.trainingJobName() + "/log").body();
        return (int) java.util.regex.Pattern.compile("epoch=\\d+ loss").matcher(log).results().count();
    }

    static List<String> rows(Path dir, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vernier.db"));
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
