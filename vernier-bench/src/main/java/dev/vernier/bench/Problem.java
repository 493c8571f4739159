package dev.vernier.bench;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Value;
import java.util.function.ToDoubleFunction;

/** A test function to minimise over a search space, with its known global minimum. */
record Problem(String name, SearchSpace space, ToDoubleFunction<Configuration> objective, double optimum) {
    static double real(Configuration c, String name) {
        return switch (c.values().get(name)) {
            case Value.Real r -> r.value();
            case Value.Int i -> i.value();
            case Value.Choice ch -> Double.parseDouble(ch.value());
        };
    }
}
