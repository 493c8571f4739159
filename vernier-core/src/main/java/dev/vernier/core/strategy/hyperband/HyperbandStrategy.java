package dev.vernier.core.strategy.hyperband;

import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.random.RandomStrategy;

/**
 * Hyperband's proposals: configurations sampled at random, as in Hyperband (Li et al. 2018). Its
 * economy comes from stopping, not from choosing: the controller applies {@link SuccessiveHalvingRule}
 * to running jobs in the bracket {@link HyperbandSchedule#bracketOf} gives them, and stores every
 * promotion and stop. Brackets are a function of the job's ordinal, so no state travels
 * in the proposal beyond what random sampling keeps.
 */
public final class HyperbandStrategy implements Strategy {
    private final RandomStrategy random = new RandomStrategy();

    @Override
    public Proposal propose(ProposalRequest request) {
        return random.propose(request);
    }
}
