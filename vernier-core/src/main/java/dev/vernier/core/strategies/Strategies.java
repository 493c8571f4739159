package dev.vernier.core.strategies;

import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.bayes.BayesianStrategy;
import dev.vernier.core.strategy.grid.GridStrategy;
import dev.vernier.core.strategy.hyperband.HyperbandStrategy;
import dev.vernier.core.strategy.random.RandomStrategy;

/**
 * The strategies by SageMaker's {@code Strategy} names. A package of its own: it names every
 * implementation, and every implementation depends on {@code core.strategy}.
 */
public final class Strategies {
    private Strategies() {}

    /** Whether {@link #forName} knows this name. */
    public static boolean has(String sagemakerStrategy) {
        return switch (sagemakerStrategy) {
            case "Random", "Grid", "Bayesian", "Hyperband" -> true;
            case null, default -> false;
        };
    }

    /** @throws IllegalArgumentException for a name without an implementation  */
    public static Strategy forName(String sagemakerStrategy) {
        return switch (sagemakerStrategy) {
            case "Random" -> new RandomStrategy();
            case "Grid" -> new GridStrategy();
            case "Bayesian" -> new BayesianStrategy();
            case "Hyperband" -> new HyperbandStrategy();
            case null, default -> throw new IllegalArgumentException("no strategy " + sagemakerStrategy);
        };
    }
}
