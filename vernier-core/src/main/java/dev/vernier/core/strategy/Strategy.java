package dev.vernier.core.strategy;

/**
 * Proposes hyperparameter configurations. Implementations are pure: the same request gives the
 * same proposal, and everything a strategy must remember travels in {@link Proposal#state()}.
 */
public interface Strategy {
    Proposal propose(ProposalRequest request);
}
