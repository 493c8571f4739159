package dev.vernier.testkit.strategy;

import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.bayes.BayesianStrategy;

class BayesianStrategyContractTest extends StrategyContract {
    @Override
    protected Strategy strategy() {
        return new BayesianStrategy();
    }

    @Override
    protected Capabilities capabilities() {
        return new Capabilities(false, true, false, false);
    }
}
