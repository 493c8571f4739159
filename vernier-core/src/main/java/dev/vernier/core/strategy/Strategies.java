package dev.vernier.core.strategy;

import dev.vernier.core.strategy.bayes.BayesianStrategy;
import dev.vernier.core.strategy.grid.GridStrategy;
import dev.vernier.core.strategy.random.RandomStrategy;

/** The strategies by SageMaker's {@code Strategy} names. */
public final class Strategies {
    private Strategies() {}

    /** @throws IllegalArgumentException for a name without an implementation (e.g. Hyperband, for now) */
    public static Strategy forName(String sagemakerStrategy) {
        return switch (sagemakerStrategy) {
            case "Random" -> new RandomStrategy();
            case "Grid" -> new GridStrategy();
            case "Bayesian" -> new BayesianStrategy();
            case null, default -> throw new IllegalArgumentException("no strategy " + sagemakerStrategy);
        };
    }
}
