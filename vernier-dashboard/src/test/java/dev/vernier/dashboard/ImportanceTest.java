package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImportanceTest {
    @Test
    void theHyperparameterThatDrivesTheObjectiveGetsNearlyAllTheShare() {
        Random random = new Random(7);
        List<Object> lr = new ArrayList<>(), noise = new ArrayList<>(), kind = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double x = Math.pow(10, -4 + 3 * random.nextDouble());
            lr.add(x);
            noise.add(random.nextDouble());
            kind.add(random.nextBoolean() ? "a" : "b");
            y.add(Math.pow(Math.log10(x) + 2.5, 2) + 0.01 * random.nextGaussian());
        }
        Map<String, List<Object>> values = new LinkedHashMap<>();
        values.put("noise", noise);
        values.put("kind", kind);
        values.put("lr", lr);
        Map<String, Double> shares = Importance.compute(values, y);
        assertThat(shares.keySet()).containsExactly("lr", "noise", "kind");
        assertThat(shares.get("lr")).isGreaterThan(0.9);
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aCategoricalHyperparameterIsGroupedByItsValues() {
        List<Object> kind = new ArrayList<>(), other = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            kind.add(i % 3 == 0 ? "sgd" : "adam");
            other.add((double) (i % 7));
            y.add(i % 3 == 0 ? 1.0 : 0.0);
        }
        Map<String, Double> shares = Importance.compute(Map.of("optimizer", kind, "other", other), y);
        assertThat(shares.get("optimizer")).isGreaterThan(0.8);
    }

    @Test
    void tooFewObservationsOrAConstantObjectiveGiveNoImportances() {
        assertThat(Importance.compute(Map.of("a", List.of(1.0, 2.0)), List.of(1.0, 2.0))).isEmpty();
        assertThat(Importance.compute(Map.of("a", List.of(1.0, 2.0, 3.0)), List.of(5.0, 5.0, 5.0))).isEmpty();
    }
}
