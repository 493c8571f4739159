package dev.vernier.core.space;

import java.util.Objects;

/** An integer range, both bounds inclusive. */
public record IntegerParameter(String name, long min, long max, Scaling scaling) implements Parameter {
    public IntegerParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scaling, "scaling");
        if (min > max) throw new IllegalArgumentException(name + ": min " + min + " > max " + max);
    }

    public Scaling effectiveScaling() {
        return scaling.resolve(min, max);
    }

    public long size() {
        return max - min + 1;
    }
}
