package dev.vernier.server;

import dev.vernier.testkit.Programs;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStrategyType;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobWarmStartType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WarmStartConfig: parents' finished jobs inform the new search; OverallBestTrainingJob spans parents. */
class WarmStartTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();
    static final String CURVE = Programs.image("curve.sh");

    @BeforeAll
    static void start() {
        SHARED.client().createHyperParameterTuningJob(job("parent", HyperParameterTuningJobStrategyType.RANDOM, 3, 12, 3, null, CURVE));
        Waits.terminal(SHARED.client(), "parent");
    }

    static CreateHyperParameterTuningJobRequest job(String name, HyperParameterTuningJobStrategyType strategy, int seed,
                                                    int maxJobs, int parallel, HyperParameterTuningJobWarmStartType type,
                                                    String image) {
        CreateHyperParameterTuningJobRequest r = Requests.create(name, image, Map.of("EPOCHS", "1"), maxJobs, parallel);
        CreateHyperParameterTuningJobRequest.Builder b = r.toBuilder().hyperParameterTuningJobConfig(
                r.hyperParameterTuningJobConfig().toBuilder().strategy(strategy).randomSeed(seed).build());
        if (type != null) b.warmStartConfig(w -> w.warmStartType(type).parentHyperParameterTuningJobs(p -> p.hyperParameterTuningJobName("parent")));
        return b.build();
    }

    static List<Float> objectivesInOrder(String name) {
        return SHARED.client().listTrainingJobsForHyperParameterTuningJobPaginator(q -> q.hyperParameterTuningJobName(name))
                .trainingJobSummaries().stream().sorted(Comparator.comparing(HyperParameterTrainingJobSummary::trainingJobName))
                .map(j -> j.finalHyperParameterTuningJobObjectiveMetric().value()).toList();
    }

    @Test
    void warmStartImprovesTheFirstJobsOverAColdStartOnTheSameSeedAndReportsTheOverallBest() {
        SHARED.client().createHyperParameterTuningJob(job("cold", HyperParameterTuningJobStrategyType.BAYESIAN, 5, 5, 1, null, CURVE));
        SHARED.client().createHyperParameterTuningJob(job("warm", HyperParameterTuningJobStrategyType.BAYESIAN, 5, 5, 1,
                HyperParameterTuningJobWarmStartType.IDENTICAL_DATA_AND_ALGORITHM, CURVE));
        Waits.terminal(SHARED.client(), "cold");
        DescribeHyperParameterTuningJobResponse warm = Waits.terminal(SHARED.client(), "warm");
        assertThat(warm.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);

        double coldMean = objectivesInOrder("cold").stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double warmMean = objectivesInOrder("warm").stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        assertThat(objectivesInOrder("warm")).hasSize(5);
        assertThat(warmMean).isLessThan(coldMean);

        float best = Math.min(objectivesInOrder("parent").stream().min(Float::compare).orElseThrow(),
                objectivesInOrder("warm").stream().min(Float::compare).orElseThrow());
        assertThat(warm.overallBestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()).isEqualTo(best);
        assertThat(warm.overallBestTrainingJob().tuningJobName()).isIn("parent", "warm");
        assertThat(warm.bestTrainingJob().tuningJobName()).isEqualTo("warm");
        assertThat(SHARED.client().describeHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("cold")).overallBestTrainingJob()).isNull();
    }

    @Test
    void transferLearningAcceptsAnotherImageAndNarrowerRangesDroppingParentPointsOutsideThem() {
        CreateHyperParameterTuningJobRequest r = job("transfer", HyperParameterTuningJobStrategyType.BAYESIAN, 5, 3, 1,
                HyperParameterTuningJobWarmStartType.TRANSFER_LEARNING, Requests.IMAGE);
        SHARED.client().createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(r.hyperParameterTuningJobConfig().toBuilder()
                .parameterRanges(p -> p.continuousParameterRanges(c -> c.name("lr").minValue("0.02").maxValue("0.04"))).build()).build());
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "transfer");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.overallBestTrainingJob()).isNull();
        assertThat(SHARED.client().listTrainingJobsForHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("transfer")).trainingJobSummaries())
                .allMatch(j -> Double.parseDouble(j.tunedHyperParameters().get("lr")) >= 0.02);
    }

    @Test
    void parentsMustExistBeTerminalShareTheObjectiveAndTheNumberOfHyperparameters() {
        CreateHyperParameterTuningJobRequest base = job("child", HyperParameterTuningJobStrategyType.RANDOM, 1, 2, 1,
                HyperParameterTuningJobWarmStartType.IDENTICAL_DATA_AND_ALGORITHM, CURVE);
        assertThatThrownBy(() -> SHARED.client().createHyperParameterTuningJob(base.toBuilder().warmStartConfig(w -> w
                .warmStartType(HyperParameterTuningJobWarmStartType.IDENTICAL_DATA_AND_ALGORITHM)
                .parentHyperParameterTuningJobs(p -> p.hyperParameterTuningJobName("nobody"))).build()))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("nobody does not exist");

        SHARED.client().createHyperParameterTuningJob(Requests.create("busy", CURVE, Map.of("EPOCHS", "50", "SLEEP_SECONDS", "0.2"), 1, 1));
        assertThatThrownBy(() -> SHARED.client().createHyperParameterTuningJob(base.toBuilder().warmStartConfig(w -> w
                .warmStartType(HyperParameterTuningJobWarmStartType.IDENTICAL_DATA_AND_ALGORITHM)
                .parentHyperParameterTuningJobs(p -> p.hyperParameterTuningJobName("busy"))).build()))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("is InProgress");
        SHARED.client().stopHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("busy"));

        assertThatThrownBy(() -> SHARED.client().createHyperParameterTuningJob(base.toBuilder().hyperParameterTuningJobConfig(
                base.hyperParameterTuningJobConfig().toBuilder().hyperParameterTuningJobObjective(o -> o.type("Maximize")
                        .metricName("loss")).build()).build()))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("same objective");
        assertThatThrownBy(() -> SHARED.client().createHyperParameterTuningJob(base.toBuilder().trainingJobDefinition(
                base.trainingJobDefinition().toBuilder().staticHyperParameters(Map.of("extra", "1")).build()).build()))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("total must stay the same");
        assertThatThrownBy(() -> SHARED.client().createHyperParameterTuningJob(job("child", HyperParameterTuningJobStrategyType.RANDOM, 1, 2, 1,
                HyperParameterTuningJobWarmStartType.IDENTICAL_DATA_AND_ALGORITHM, Requests.IMAGE)))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("TrainingImage");
        assertThat(SHARED.client().listHyperParameterTuningJobs(q -> q.nameContains("child")).hyperParameterTuningJobSummaries()).isEmpty();
    }
}
