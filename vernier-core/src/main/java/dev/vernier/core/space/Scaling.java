package dev.vernier.core.space;

/** How a numeric range is searched (SageMaker's {@code ScalingType}). */
public enum Scaling {
    /** Resolved by {@link #resolve(double, double)} before a strategy samples. */
    AUTO,
    LINEAR,
    LOGARITHMIC,
    REVERSE_LOGARITHMIC;

    /**
     * The scaling a strategy actually uses. {@code Auto} becomes Logarithmic when the range is
     * positive and spans at least two orders of magnitude (as SageMaker's guidance suggests for
     * such ranges), otherwise Linear.
     */
    public Scaling resolve(double min, double max) {
        if (this != AUTO) return this;
        return min > 0 && max / min >= 100 ? LOGARITHMIC : LINEAR;
    }
}
