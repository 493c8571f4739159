package dev.vernier.core.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.strategy.bayes.BayesianStrategy;
import dev.vernier.core.strategy.grid.GridStrategy;
import dev.vernier.core.strategy.random.RandomStrategy;
import org.junit.jupiter.api.Test;

class StrategiesTest {
    @Test
    void sageMakerStrategyNamesMapToImplementations() {
        assertThat(Strategies.forName("Random")).isInstanceOf(RandomStrategy.class);
        assertThat(Strategies.forName("Grid")).isInstanceOf(GridStrategy.class);
        assertThat(Strategies.forName("Bayesian")).isInstanceOf(BayesianStrategy.class);
        assertThat(Strategies.forName("Hyperband")).isNotNull();
        for (String name : new String[] {"Random", "Grid", "Bayesian", "Hyperband"}) assertThat(Strategies.has(name)).isTrue();
    }

    @Test
    void unknownNamesAreRejected() {
        assertThat(Strategies.has("random")).isFalse();
        assertThat(Strategies.has(null)).isFalse();
        assertThatThrownBy(() -> Strategies.forName("random")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Strategies.forName(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
