package dev.vernier.testkit.strategy;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.strategy.Observation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Histories made without the strategy under test: distinct uniform configurations, scored by a
 * smooth objective of the encoded point (a bowl with its minimum at 0.3 in every coordinate).
 */
public final class Histories {
    private Histories() {}

    /** {@code n} distinct configurations drawn uniformly from a seed (fewer if the space is smaller). */
    public static List<Configuration> distinct(SearchSpace space, int n, long seed) {
        SpaceEncoding encoding = new SpaceEncoding(space);
        long size = encoding.size();
        int wanted = size < 0 ? n : (int) Math.min(n, size);
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Configuration> out = new LinkedHashSet<>();
        while (out.size() < wanted) out.add(encoding.random(rng));
        return List.copyOf(out);
    }

    /** {@code n} distinct configurations, each succeeded with {@link #objective}. */
    public static List<Observation> succeeded(SearchSpace space, int n, long seed) {
        return distinct(space, n, seed).stream().map(c -> Observation.succeeded(c, objective(space, c))).toList();
    }

    /** A smooth objective for any space: squared distance of the encoded point from 0.3 in each coordinate. */
    public static double objective(SearchSpace space, Configuration c) {
        double sum = 0;
        for (double u : new SpaceEncoding(space).encode(c)) sum += (u - 0.3) * (u - 0.3);
        return sum;
    }

    /** The history with {@code more} appended. */
    public static List<Observation> plus(List<Observation> history, List<Observation> more) {
        List<Observation> out = new ArrayList<>(history);
        out.addAll(more);
        return out;
    }
}
