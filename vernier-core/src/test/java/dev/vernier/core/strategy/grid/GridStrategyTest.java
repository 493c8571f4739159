package dev.vernier.core.strategy.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridStrategyTest {
    private static final SearchSpace TWO_DEFINITIONS = new SearchSpace(List.of(
            new Subspace("a", List.of(new CategoricalParameter("x", List.of("1", "2", "3")),
                    new CategoricalParameter("y", List.of("p", "q")))),
            new Subspace("b", List.of(new CategoricalParameter("z", List.of("u", "v"))))));

    @Test
    void sizeIsTheNumberOfCombinationsSummedOverDefinitions() {
        assertThat(GridStrategy.size(TWO_DEFINITIONS)).isEqualTo(3 * 2 + 2);
    }

    @Test
    void everyCombinationIsProposedExactlyOnceThenNothing() {
        List<Observation> history = new ArrayList<>();
        String state = null;
        for (int round = 0; round < 5; round++) {
            Proposal p = new GridStrategy().propose(new ProposalRequest(TWO_DEFINITIONS, Goal.MINIMIZE, history, state, 0, 3));
            p.configurations().forEach(c -> history.add(Observation.pending(c)));
            state = p.state();
        }
        List<Configuration> all = history.stream().map(Observation::configuration).toList();
        assertThat(all).hasSize(8);
        assertThat(new HashSet<>(all)).hasSize(8);
        assertThat(all.get(0).definitionName()).isEqualTo("a");
        assertThat(all.get(7).definitionName()).isEqualTo("b");
    }

    @Test
    void aLostStateDoesNotRepeatACombination() {
        Proposal first = new GridStrategy().propose(new ProposalRequest(TWO_DEFINITIONS, Goal.MINIMIZE, List.of(), null, 0, 2));
        List<Observation> history = first.configurations().stream().map(Observation::failed).toList();
        Proposal again = new GridStrategy().propose(new ProposalRequest(TWO_DEFINITIONS, Goal.MINIMIZE, history, null, 0, 2));
        assertThat(again.configurations()).doesNotContainAnyElementsOf(first.configurations()).hasSize(2);
    }

    @Test
    void nonCategoricalRangesAreRejected() {
        SearchSpace space = SearchSpace.of(List.of(new ContinuousParameter("x", 0, 1, Scaling.LINEAR)));
        assertThatThrownBy(() -> GridStrategy.size(space)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GridStrategy().propose(new ProposalRequest(space, Goal.MINIMIZE, List.of(), null, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
