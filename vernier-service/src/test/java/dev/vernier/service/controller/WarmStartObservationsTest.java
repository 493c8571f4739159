package dev.vernier.service.controller;

import dev.vernier.core.space.Value;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.testkit.TestPlans;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented rule that maps a parent's training job into the new job's search space. */
class WarmStartObservationsTest {
    static final TuningPlan CHILD = TestPlans.plan("child").strategy("Bayesian").jobs(5, 1)
            .integer("depth", 2, 8).continuous("lr", 0.01, 0.1).categorical("opt", "sgd", "adam")
            .staticHyperParameter("batch", "64").build();

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
