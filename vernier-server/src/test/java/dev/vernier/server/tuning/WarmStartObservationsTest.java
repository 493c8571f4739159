package dev.vernier.server.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.space.Value;
import dev.vernier.server.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented rule that maps a parent's training job into the new job's search space. */
class WarmStartObservationsTest {
    static final TuningPlan CHILD = TuningPlans.from("child", Json.parseObject("""
            {"HyperParameterTuningJobConfig": {"Strategy": "Bayesian",
               "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
               "ResourceLimits": {"MaxNumberOfTrainingJobs": 5, "MaxParallelTrainingJobs": 1},
               "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.01", "MaxValue": "0.1"}],
                                   "IntegerParameterRanges": [{"Name": "depth", "MinValue": "2", "MaxValue": "8"}],
                                   "CategoricalParameterRanges": [{"Name": "opt", "Values": ["sgd", "adam"]}]}},
             "TrainingJobDefinition": {"StaticHyperParameters": {"batch": "64"},
               "AlgorithmSpecification": {"TrainingImage": "file:///x", "TrainingInputMode": "File",
                                          "MetricDefinitions": [{"Name": "loss", "Regex": "loss=(.*)"}]}}}"""));

    @Test
    void aParentJobInsideTheRangesBecomesAConfigurationReadFromStaticOrTunedValues() {
        var c = WarmStartObservations.map(CHILD, Map.of("lr", "0.05", "depth", "4", "opt", "adam", "batch", "64"), true);
        assertThat(c).isPresent();
        assertThat(c.get().values()).containsEntry("lr", new Value.Real(0.05)).containsEntry("depth", new Value.Int(4))
                .containsEntry("opt", new Value.Choice("adam"));
    }

    @Test
    void valuesOutsideTheNewRangesOrMissingAreDroppedNotClamped() {
        assertThat(WarmStartObservations.map(CHILD, Map.of("lr", "0.2", "depth", "4", "opt", "adam"), false)).isEmpty();
        assertThat(WarmStartObservations.map(CHILD, Map.of("lr", "0.05", "depth", "9", "opt", "adam"), false)).isEmpty();
        assertThat(WarmStartObservations.map(CHILD, Map.of("lr", "0.05", "depth", "4", "opt", "rmsprop"), false)).isEmpty();
        assertThat(WarmStartObservations.map(CHILD, Map.of("lr", "0.05", "depth", "4.5", "opt", "adam"), false)).isEmpty();
        assertThat(WarmStartObservations.map(CHILD, Map.of("lr", "0.05", "opt", "adam"), false)).isEmpty();
    }

    @Test
    void aDifferentStaticValueDropsTheJobOnlyForIdenticalDataAndAlgorithm() {
        Map<String, String> other = Map.of("lr", "0.05", "depth", "4", "opt", "adam", "batch", "128");
        assertThat(WarmStartObservations.map(CHILD, other, true)).isEmpty();
        assertThat(WarmStartObservations.map(CHILD, other, false)).isPresent();
    }
}
