package dev.vernier.testkit.strategy;

import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.hyperband.HyperbandStrategy;

class HyperbandStrategyContractTest extends StrategyContract {
    @Override
    protected Strategy strategy() {
        return new HyperbandStrategy();
    }

    @Override
    protected Capabilities capabilities() {
        return new Capabilities(false, true, false, true);
    }
}
