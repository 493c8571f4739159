package dev.vernier.core.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps one subspace to the unit cube {@code [0,1]^d} and back, with each range's scaling applied
 * first, so that a uniform point of the cube is a uniform point of the scaled space.
 *
 * <ul>
 *   <li>Continuous: one column, {@code u = (T(x) - T(min)) / (T(max) - T(min))} where {@code T} is
 *       the identity (Linear), {@code log x} (Logarithmic) or {@code -log(1 - x)}
 *       (ReverseLogarithmic, dense near 1). Auto is resolved by {@link Scaling#resolve}.</li>
 *   <li>Integer: one column over {@code [min - 0.5, max + 0.5]} in scaled space, rounded on decode,
 *       so that every value owns an equal share of the (scaled) column.</li>
 *   <li>Categorical: one column per choice (one-hot); decoding takes the largest column, so a
 *       uniform point decodes to a uniform choice.</li>
 * </ul>
 * A scaling that the bounds do not allow (log of a non-positive bound, reverse log reaching 1,
 * reverse log of an integer) is searched linearly; request validation rejects those anyway.
 * A range with {@code min == max} encodes to 0.5 and always decodes to {@code min}.
 */
public final class UnitCube {
    private final Subspace subspace;
    private final int[] offsets;
    private final int dimensions;

    public UnitCube(Subspace subspace) {
        this.subspace = subspace;
        this.offsets = new int[subspace.parameters().size()];
        int d = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = d;
            d += width(subspace.parameters().get(i));
        }
        this.dimensions = d;
    }

    public Subspace subspace() {
        return subspace;
    }

    public int dimensions() {
        return dimensions;
    }

    /** Columns that vary continuously (continuous and integer ranges), for local optimisation. */
    public int[] numericColumns() {
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++)
            if (!(subspace.parameters().get(i) instanceof CategoricalParameter)) cols.add(offsets[i]);
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Columns of the continuous ranges only. */
    public int[] continuousColumns() {
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++)
            if (subspace.parameters().get(i) instanceof ContinuousParameter) cols.add(offsets[i]);
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The one-hot blocks of the categorical ranges, each as {@code {first column, width}}. */
    public int[][] categoricalBlocks() {
        List<int[]> blocks = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++)
            if (subspace.parameters().get(i) instanceof CategoricalParameter k) blocks.add(new int[] {offsets[i], k.values().size()});
        return blocks.toArray(new int[0][]);
    }

    /** Encodes into {@code target} from {@code offset}; values of a foreign type are converted. */
    public void encode(Map<String, Value> values, double[] target, int offset) {
        for (int i = 0; i < offsets.length; i++) {
            Parameter p = subspace.parameters().get(i);
            Value v = values.get(p.name());
            if (v == null) throw new IllegalArgumentException("no value for " + p.name());
            int col = offset + offsets[i];
            switch (p) {
                case ContinuousParameter c -> target[col] = axis(c).toUnit(numeric(v));
                case IntegerParameter n -> target[col] = axis(n).toUnit(numeric(v));
                case CategoricalParameter k -> {
                    int index = k.values().indexOf(choice(v));
                    if (index < 0) throw new IllegalArgumentException(p.name() + ": not a choice: " + v);
                    for (int j = 0; j < k.values().size(); j++) target[col + j] = j == index ? 1 : 0;
                }
            }
        }
    }

    public double[] encode(Map<String, Value> values) {
        double[] u = new double[dimensions];
        encode(values, u, 0);
        return u;
    }

    /** Decodes the block of {@code u} that starts at {@code offset}; coordinates are clamped to [0,1]. */
    public Map<String, Value> decode(double[] u, int offset) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (int i = 0; i < offsets.length; i++) {
            Parameter p = subspace.parameters().get(i);
            int col = offset + offsets[i];
            Value v = switch (p) {
                case ContinuousParameter c -> new Value.Real(axis(c).fromUnit(u[col]));
                case IntegerParameter n -> {
                    long rounded = Math.round(axis(n).fromUnit(u[col]));
                    yield new Value.Int(Math.max(n.min(), Math.min(n.max(), rounded)));
                }
                case CategoricalParameter k -> {
                    int best = 0;
                    for (int j = 1; j < k.values().size(); j++) if (u[col + j] > u[col + best]) best = j;
                    yield new Value.Choice(k.values().get(best));
                }
            };
            values.put(p.name(), v);
        }
        return values;
    }

    public Map<String, Value> decode(double[] u) {
        return decode(u, 0);
    }

    /** Number of distinct configurations, or -1 when a continuous range makes it infinite. */
    public long size() {
        long size = 1;
        for (Parameter p : subspace.parameters()) {
            long n = switch (p) {
                case ContinuousParameter c -> c.min() == c.max() ? 1 : -1;
                case IntegerParameter i -> i.size();
                case CategoricalParameter k -> k.values().size();
            };
            if (n < 0) return -1;
            size = Math.multiplyExact(size, n);
        }
        return size;
    }

    /**
     * The {@code index}-th configuration of a finite subspace in mixed-radix order, the last
     * parameter varying fastest ({@code 0 <= index < size()}).
     */
    public Map<String, Value> valuesAt(long index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException(index);
        Value[] values = new Value[offsets.length];
        long rest = index;
        for (int i = offsets.length - 1; i >= 0; i--) {
            Parameter p = subspace.parameters().get(i);
            values[i] = switch (p) {
                case ContinuousParameter c -> new Value.Real(c.min());
                case IntegerParameter n -> new Value.Int(n.min() + rest % n.size());
                case CategoricalParameter k -> new Value.Choice(k.values().get((int) (rest % k.values().size())));
            };
            if (!(p instanceof ContinuousParameter)) rest /= p instanceof IntegerParameter n ? n.size() : ((CategoricalParameter) p).values().size();
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) out.put(subspace.parameters().get(i).name(), values[i]);
        return out;
    }

    private static int width(Parameter p) {
        return p instanceof CategoricalParameter k ? k.values().size() : 1;
    }

    private static double numeric(Value v) {
        return switch (v) {
            case Value.Real r -> r.value();
            case Value.Int i -> i.value();
            case Value.Choice c -> Double.parseDouble(c.value());
        };
    }

    private static String choice(Value v) {
        return v instanceof Value.Choice c ? c.value() : v.asHyperparameter();
    }

    static Axis axis(ContinuousParameter c) {
        return Axis.of(c.effectiveScaling(), c.min(), c.max(), c.min(), c.max());
    }

    static Axis axis(IntegerParameter n) {
        Scaling s = n.effectiveScaling() == Scaling.REVERSE_LOGARITHMIC ? Scaling.LINEAR : n.effectiveScaling();
        return Axis.of(s, n.min() - 0.5, n.max() + 0.5, n.min(), n.max());
    }

    /** One scaled coordinate: {@code [lo, hi]} mapped through {@code T} onto [0,1]; decoded values clamped to {@code [min, max]}. */
    record Axis(Scaling scaling, double lo, double hi, double min, double max) {
        static Axis of(Scaling s, double lo, double hi, double min, double max) {
            boolean allowed = switch (s) {
                case LOGARITHMIC -> lo > 0;
                case REVERSE_LOGARITHMIC -> hi < 1;
                default -> true;
            };
            return new Axis(allowed ? s : Scaling.LINEAR, lo, hi, min, max);
        }

        double toUnit(double x) {
            if (hi == lo) return 0.5;
            double u = (t(x) - t(lo)) / (t(hi) - t(lo));
            return Math.max(0, Math.min(1, u));
        }

        double fromUnit(double u) {
            if (hi == lo) return min;
            double c = Math.max(0, Math.min(1, u));
            double x = inverse(t(lo) + c * (t(hi) - t(lo)));
            return Math.max(min, Math.min(max, x));
        }

        private double t(double x) {
            return switch (scaling) {
                case LOGARITHMIC -> Math.log(x);
                case REVERSE_LOGARITHMIC -> -Math.log1p(-x);
                default -> x;
            };
        }

        private double inverse(double t) {
            return switch (scaling) {
                case LOGARITHMIC -> Math.exp(t);
                case REVERSE_LOGARITHMIC -> -Math.expm1(-t);
                default -> t;
            };
        }
    }
}
