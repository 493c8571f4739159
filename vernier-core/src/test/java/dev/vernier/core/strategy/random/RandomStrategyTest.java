package dev.vernier.core.strategy.random;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Value;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.ProposalRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomStrategyTest {
    private static final SearchSpace MIXED = SearchSpace.of(List.of(
            new ContinuousParameter("lr", 1e-5, 1, Scaling.LOGARITHMIC),
            new IntegerParameter("layers", 1, 8, Scaling.LINEAR)));

    private static List<Configuration> run(SearchSpace space, long seed, int jobs, int batch) {
        List<Observation> history = new ArrayList<>();
        while (history.size() < jobs) {
            var p = new RandomStrategy().propose(new ProposalRequest(space, Goal.MINIMIZE, history, null, seed,
                    Math.min(batch, jobs - history.size())));
            p.configurations().forEach(c -> history.add(Observation.failed(c)));
        }
        return history.stream().map(Observation::configuration).toList();
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        assertThat(run(MIXED, 42, 20, 1)).isEqualTo(run(MIXED, 42, 20, 1));
        assertThat(run(MIXED, 42, 20, 1)).isNotEqualTo(run(MIXED, 43, 20, 1));
    }

    @Test
    void aRestartGivesTheSameNextProposal() {
        List<Configuration> first = run(MIXED, 7, 10, 1);
        List<Observation> history = first.subList(0, 9).stream().map(c -> Observation.succeeded(c, 1.0)).toList();
        var again = new RandomStrategy().propose(new ProposalRequest(MIXED, Goal.MINIMIZE, history, null, 7, 1));
        assertThat(again.configurations()).containsExactly(first.get(9));
    }

    @Test
    void aSmallFiniteSpaceIsExhaustedBeforeAnyRepeat() {
        SearchSpace small = SearchSpace.of(List.of(new IntegerParameter("i", 1, 3, Scaling.LINEAR),
                new CategoricalParameter("c", List.of("a", "b", "c", "d"))));
        List<Configuration> twelve = run(small, 3, 12, 5);
        assertThat(new HashSet<>(twelve)).hasSize(12);
        assertThat(run(small, 3, 14, 5)).hasSize(14);
    }

    @Test
    void logScaledValuesAreUniformInTheExponent() {
        List<Configuration> many = run(MIXED, 1, 2000, 100);
        long belowMilli = many.stream().filter(c -> ((Value.Real) c.values().get("lr")).value() < 1e-3).count();
        // 1e-5..1e-3 is two of five decades
        assertThat(belowMilli).isBetween(700L, 900L);
    }
}
