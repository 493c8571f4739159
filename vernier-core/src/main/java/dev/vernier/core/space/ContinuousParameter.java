package dev.vernier.core.space;

import java.util.Objects;

/** A real-valued range; {@code min <= max}, with scaling already validated against the bounds. */
public record ContinuousParameter(String name, double min, double max, Scaling scaling) implements Parameter {
    public ContinuousParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scaling, "scaling");
        if (!(min <= max)) throw new IllegalArgumentException(name + ": min " + min + " > max " + max);
    }

    /** The scaling to sample with, {@code Auto} resolved. */
    public Scaling effectiveScaling() {
        return scaling.resolve(min, max);
    }
}
