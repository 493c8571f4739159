package dev.vernier.core.strategy;

import dev.vernier.core.space.Configuration;
import java.util.List;

/**
 * A strategy's answer: up to the requested number of configurations (fewer when the space is
 * exhausted) and the state to hand back next time, which the controller stores durably.
 */
public record Proposal(List<Configuration> configurations, String state) {
    public Proposal {
        configurations = List.copyOf(configurations);
    }
}
