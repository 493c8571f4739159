package dev.vernier.core.strategy;

import dev.vernier.core.space.SearchSpace;
import java.util.List;
import java.util.Objects;

/**
 * Everything a strategy needs to propose: the whole history (finished and pending jobs, in the
 * order they were proposed), the state it handed back last time ({@code null} at first), the
 * tuning job's seed and how many configurations are wanted now.
 */
public record ProposalRequest(SearchSpace space, Goal goal, List<Observation> observations,
                              String state, long seed, int count) {
    public ProposalRequest {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(goal, "goal");
        observations = List.copyOf(observations);
        if (count < 0) throw new IllegalArgumentException("count < 0");
    }
}
