package dev.vernier.core.strategy.grid;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SageMaker's {@code Grid} strategy: categorical ranges only, every combination exactly once, in
 * a fixed order (definitions in order, then the last parameter varying fastest). The state is the
 * index of the next combination to consider; combinations already in the history are skipped
 * whatever the state says, so a lost state cannot cause a repeat. Fewer configurations than asked
 * once the grid is exhausted. The seed is not used.
 */
public final class GridStrategy implements Strategy {

    @Override
    public Proposal propose(ProposalRequest request) {
        long size = size(request.space());
        SpaceEncoding encoding = new SpaceEncoding(request.space());
        Set<Configuration> seen = new HashSet<>();
        for (Observation o : request.observations()) seen.add(o.configuration());
        long next = request.state() == null ? 0 : Long.parseLong(request.state());
        List<Configuration> out = new ArrayList<>();
        while (out.size() < request.count() && next < size) {
            Configuration c = encoding.configurationAt(next++);
            if (seen.add(c)) out.add(c);
        }
        return new Proposal(out, Long.toString(next));
    }

    /**
     * Number of distinct combinations, summed over definitions: SageMaker's
     * {@code MaxNumberOfTrainingJobs} for Grid when none is given. The order and the count are
     * {@link SpaceEncoding}'s, which {@link #propose} walks.
     *
     * @throws IllegalArgumentException when a range is not categorical
     * @throws ArithmeticException when the number does not fit a long
     */
    public static long size(SearchSpace space) {
        for (Subspace s : space.subspaces()) {
            for (var p : s.parameters()) {
                if (!(p instanceof CategoricalParameter))
                    throw new IllegalArgumentException("Grid search supports categorical ranges only: " + p.name());
            }
        }
        return new SpaceEncoding(space).size();
    }
}
