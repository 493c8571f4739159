package dev.vernier.testkit.strategy;

import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.grid.GridStrategy;

class GridStrategyContractTest extends StrategyContract {
    @Override
    protected Strategy strategy() {
        return new GridStrategy();
    }

    @Override
    protected Capabilities capabilities() {
        return new Capabilities(true, false, true, true);
    }
}
