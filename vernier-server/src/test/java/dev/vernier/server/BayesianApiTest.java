package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;

class BayesianApiTest {
    @TempDir
    Path dir;

    @Test
    void bayesianFindsABetterObjectiveThanRandomOnAQuadraticWithTheSameBudgetAndSeed() {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            for (String strategy : new String[] {"Bayesian", "Random"}) {
                CreateHyperParameterTuningJobRequest r = Requests.create(strategy.toLowerCase(), Requests.IMAGE, Map.of(), 12, 1);
                sm.createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(r.hyperParameterTuningJobConfig()
                        .toBuilder().strategy(strategy).randomSeed(3).build()).build());
            }
            float bayesian = best(sm, "bayesian");
            float random = best(sm, "random");
            // objective = 1000 (lr - 0.05)^2 + 1, so regret = objective - 1
            assertThat(bayesian - 1).as("Bayesian regret").isLessThan(random - 1).isLessThan(1e-3f);
        }
    }

    private static float best(SageMakerClient sm, String name) {
        var d = Waits.terminal(sm, name);
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(12);
        return d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value();
    }
}
