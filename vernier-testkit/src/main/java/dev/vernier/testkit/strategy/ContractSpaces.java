package dev.vernier.testkit.strategy;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.space.Subspace;
import java.util.List;

/** The search spaces {@link StrategyContract} runs over, each with a name that reads well in a report. */
public final class ContractSpaces {
    private ContractSpaces() {}

    /** A search space with a name; {@link #toString()} is the name, so parameterised tests show it. */
    public record NamedSpace(String name, SearchSpace space) {
        /** Number of distinct configurations, or -1 when a continuous range makes it infinite. */
        public long size() {
            return new SpaceEncoding(space).size();
        }

        public boolean categoricalOnly() {
            return space.subspaces().stream().flatMap(s -> s.parameters().stream()).allMatch(CategoricalParameter.class::isInstance);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every scaling: log, linear, reverse log (dense near 1) and Auto (log here: 1 to 1000). */
    public static final NamedSpace CONTINUOUS = new NamedSpace("continuous", SearchSpace.of(List.of(
            new ContinuousParameter("learning_rate", 1e-5, 1, Scaling.LOGARITHMIC),
            new ContinuousParameter("momentum", 0, 0.99, Scaling.LINEAR),
            new ContinuousParameter("beta", 0.9, 0.9999, Scaling.REVERSE_LOGARITHMIC),
            new ContinuousParameter("width", 1, 1000, Scaling.AUTO))));

    /** 8 × 1009 points: finite, but far more than a test proposes. */
    public static final NamedSpace INTEGER = new NamedSpace("integer", SearchSpace.of(List.of(
            new IntegerParameter("layers", 1, 8, Scaling.LINEAR),
            new IntegerParameter("batch_size", 16, 1024, Scaling.LOGARITHMIC))));

    /** 4 × 3 × 2 = 24 combinations. */
    public static final NamedSpace CATEGORICAL = new NamedSpace("categorical", SearchSpace.of(List.of(
            new CategoricalParameter("optimizer", List.of("sgd", "adam", "rmsprop", "adagrad")),
            new CategoricalParameter("activation", List.of("relu", "tanh", "gelu")),
            new CategoricalParameter("batch_norm", List.of("true", "false")))));

    public static final NamedSpace MIXED = new NamedSpace("mixed", SearchSpace.of(List.of(
            new ContinuousParameter("learning_rate", 1e-4, 0.1, Scaling.LOGARITHMIC),
            new IntegerParameter("layers", 1, 8, Scaling.LINEAR),
            new CategoricalParameter("optimizer", List.of("sgd", "adam", "rmsprop")))));

    /** Two training-job definitions (TrainingJobDefinitions) with different ranges. */
    public static final NamedSpace TWO_DEFINITIONS = new NamedSpace("two definitions", new SearchSpace(List.of(
            new Subspace("xgboost", List.of(
                    new ContinuousParameter("eta", 0.01, 0.3, Scaling.LOGARITHMIC),
                    new IntegerParameter("max_depth", 2, 10, Scaling.LINEAR))),
            new Subspace("mlp", List.of(
                    new ContinuousParameter("learning_rate", 1e-4, 0.1, Scaling.LOGARITHMIC),
                    new CategoricalParameter("activation", List.of("relu", "tanh")))))));

    /** Two definitions, categorical only: 3 × 2 + 3 = 9 combinations. */
    public static final NamedSpace CATEGORICAL_TWO_DEFINITIONS = new NamedSpace("categorical, two definitions",
            new SearchSpace(List.of(
                    new Subspace("a", List.of(new CategoricalParameter("x", List.of("1", "2", "3")),
                            new CategoricalParameter("y", List.of("p", "q")))),
                    new Subspace("b", List.of(new CategoricalParameter("z", List.of("u", "v", "w")))))));

    /** 3 × 2 = 6 points: fewer than some requests ask for. */
    public static final NamedSpace SMALL_FINITE = new NamedSpace("small finite", SearchSpace.of(List.of(
            new IntegerParameter("k", 1, 3, Scaling.LINEAR),
            new CategoricalParameter("kernel", List.of("linear", "rbf")))));

    /** One configuration only: ranges whose bounds are equal, and a single choice. */
    public static final NamedSpace ONE_POINT = new NamedSpace("one point", SearchSpace.of(List.of(
            new ContinuousParameter("fixed", 0.5, 0.5, Scaling.LINEAR),
            new IntegerParameter("epochs", 3, 3, Scaling.LINEAR),
            new CategoricalParameter("loss", List.of("mse")))));

    /** One configuration only, categorical. */
    public static final NamedSpace ONE_CHOICE = new NamedSpace("one choice", SearchSpace.of(List.of(
            new CategoricalParameter("loss", List.of("mse")))));

    public static final List<NamedSpace> ALL = List.of(CONTINUOUS, INTEGER, CATEGORICAL, MIXED, TWO_DEFINITIONS,
            CATEGORICAL_TWO_DEFINITIONS, SMALL_FINITE);
}
