package dev.vernier.core.space;

/** One tunable hyperparameter of a search space. */
public sealed interface Parameter permits ContinuousParameter, IntegerParameter, CategoricalParameter {
    String name();
}
