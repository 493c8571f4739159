package dev.vernier.testkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.space.Value;

/** Whether a configuration belongs to a search space, asserted value by value. */
public final class Membership {
    private Membership() {}

    /**
     * The definition is one of the space's, there is a value for exactly its parameters, and each
     * value has its range's type and lies inside it: reals finite and within bounds (positive on a
     * log scale), integers within bounds, choices among the values.
     */
    public static void assertInside(SearchSpace space, Configuration c) {
        assertThat(space.subspaces()).as("definitions of the space").anyMatch(s -> s.sameDefinition(c.definitionName()));
        Subspace subspace = space.subspace(c.definitionName());
        assertThat(c.values().keySet()).as("parameters of %s", c)
                .containsExactlyInAnyOrderElementsOf(subspace.parameters().stream().map(Parameter::name).toList());
        for (Parameter p : subspace.parameters()) {
            Value v = c.values().get(p.name());
            switch (p) {
                case ContinuousParameter range -> {
                    assertThat(v).as("%s of %s", p.name(), c).isInstanceOf(Value.Real.class);
                    double x = ((Value.Real) v).value();
                    assertThat(x).as("%s of %s", p.name(), c).isFinite().isBetween(range.min(), range.max());
                    if (range.effectiveScaling() == Scaling.LOGARITHMIC) assertThat(x).as("%s (log scale)", p.name()).isPositive();
                }
                case IntegerParameter range -> {
                    assertThat(v).as("%s of %s", p.name(), c).isInstanceOf(Value.Int.class);
                    assertThat(((Value.Int) v).value()).as("%s of %s", p.name(), c).isBetween(range.min(), range.max());
                    if (range.effectiveScaling() == Scaling.LOGARITHMIC)
                        assertThat(((Value.Int) v).value()).as("%s (log scale)", p.name()).isPositive();
                }
                case CategoricalParameter range -> {
                    assertThat(v).as("%s of %s", p.name(), c).isInstanceOf(Value.Choice.class);
                    assertThat(((Value.Choice) v).value()).as("%s of %s", p.name(), c).isIn(range.values());
                }
            }
        }
    }
}
