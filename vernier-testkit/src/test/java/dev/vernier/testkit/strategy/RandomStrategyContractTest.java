package dev.vernier.testkit.strategy;

import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.random.RandomStrategy;

class RandomStrategyContractTest extends StrategyContract {
    @Override
    protected Strategy strategy() {
        return new RandomStrategy();
    }

    @Override
    protected Capabilities capabilities() {
        return new Capabilities(false, true, false, true);
    }
}
