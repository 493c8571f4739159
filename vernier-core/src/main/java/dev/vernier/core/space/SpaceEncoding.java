package dev.vernier.core.space;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The whole search space as one unit cube: with several training-job definitions, a one-hot block
 * chooses the definition and each definition's {@link UnitCube} follows in its own block; the
 * blocks of the definitions not chosen are zero. With one definition there is no choice block.
 */
public final class SpaceEncoding {
    private final SearchSpace space;
    private final List<UnitCube> cubes;
    private final int[] offsets;
    private final int choiceColumns;
    private final int dimensions;

    public SpaceEncoding(SearchSpace space) {
        this.space = space;
        this.cubes = space.subspaces().stream().map(UnitCube::new).toList();
        this.choiceColumns = cubes.size() > 1 ? cubes.size() : 0;
        this.offsets = new int[cubes.size()];
        int d = choiceColumns;
        for (int i = 0; i < cubes.size(); i++) {
            offsets[i] = d;
            d += cubes.get(i).dimensions();
        }
        this.dimensions = d;
    }

    public SearchSpace space() {
        return space;
    }

    public int dimensions() {
        return dimensions;
    }

    public int subspaceCount() {
        return cubes.size();
    }

    public UnitCube cube(int subspace) {
        return cubes.get(subspace);
    }

    /** Index of the subspace a configuration belongs to; throws when no definition matches. */
    public int subspaceOf(Configuration c) {
        for (int i = 0; i < cubes.size(); i++) if (cubes.get(i).subspace().sameDefinition(c.definitionName())) return i;
        throw new IllegalArgumentException("no definition " + c.definitionName());
    }

    public double[] encode(Configuration c) {
        int s = subspaceOf(c);
        double[] u = new double[dimensions];
        if (choiceColumns > 0) u[s] = 1;
        cubes.get(s).encode(c.values(), u, offsets[s]);
        return u;
    }

    /** The subspace a point of the cube chooses (the largest choice column). */
    public int chosenSubspace(double[] u) {
        int best = 0;
        for (int i = 1; i < choiceColumns; i++) if (u[i] > u[best]) best = i;
        return best;
    }

    public Configuration decode(double[] u) {
        int s = chosenSubspace(u);
        return new Configuration(cubes.get(s).subspace().definitionName(), cubes.get(s).decode(u, offsets[s]));
    }

    /**
     * A point of subspace {@code s} from {@code uniforms} (one per column of that subspace, each in
     * [0,1]), in the canonical form {@link #encode} gives: choice block one-hot, other blocks zero.
     */
    public double[] point(int s, double[] uniforms) {
        double[] u = new double[dimensions];
        if (choiceColumns > 0) u[s] = 1;
        System.arraycopy(uniforms, 0, u, offsets[s], cubes.get(s).dimensions());
        return u;
    }

    /** Columns of subspace {@code s} (in the whole cube) that vary continuously. */
    public int[] numericColumns(int s) {
        int[] local = cubes.get(s).numericColumns();
        int[] cols = new int[local.length];
        for (int i = 0; i < local.length; i++) cols[i] = offsets[s] + local[i];
        return cols;
    }

    /** Columns of subspace {@code s}'s continuous ranges (in the whole cube). */
    public int[] continuousColumns(int s) {
        int[] local = cubes.get(s).continuousColumns();
        int[] cols = new int[local.length];
        for (int i = 0; i < local.length; i++) cols[i] = offsets[s] + local[i];
        return cols;
    }

    /** The one-hot blocks of subspace {@code s}'s categorical ranges (in the whole cube), each {@code {first, width}}. */
    public int[][] categoricalBlocks(int s) {
        int[][] blocks = cubes.get(s).categoricalBlocks();
        for (int[] b : blocks) b[0] += offsets[s];
        return blocks;
    }

    /** A uniform random configuration: a uniform definition, then uniform in its scaled space. */
    public Configuration random(RandomGenerator rng) {
        int s = rng.nextInt(cubes.size());
        double[] uniforms = new double[cubes.get(s).dimensions()];
        for (int i = 0; i < uniforms.length; i++) uniforms[i] = rng.nextDouble();
        return decode(point(s, uniforms));
    }

    /** The {@code index}-th configuration of a finite space: definitions in order, then {@link UnitCube#valuesAt}. */
    public Configuration configurationAt(long index) {
        long rest = index;
        for (UnitCube c : cubes) {
            long n = c.size();
            if (n < 0) throw new IllegalStateException("infinite subspace " + c.subspace().definitionName());
            if (rest < n) return new Configuration(c.subspace().definitionName(), c.valuesAt(rest));
            rest -= n;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** Number of distinct configurations summed over definitions, or -1 when infinite. */
    public long size() {
        long total = 0;
        for (UnitCube c : cubes) {
            long n = c.size();
            if (n < 0) return -1;
            total = Math.addExact(total, n);
        }
        return total;
    }
}
