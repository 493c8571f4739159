package dev.vernier.core.strategy.random;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * SageMaker's {@code Random} strategy: uniform in the scaled space (see
 * {@link dev.vernier.core.space.UnitCube}), a uniform choice among definitions when there are
 * several. The random stream is derived from the seed and the number of observations so far, so
 * the same history gives the same next proposal, also after a restart. Configurations already in
 * the history are redrawn; in a finite space, once redrawing keeps hitting known points, the next
 * configuration is drawn uniformly from those not yet tried, and repeats are allowed only when
 * every configuration has been tried. Keeps no state.
 */
public final class RandomStrategy implements Strategy {
    private static final int REDRAWS = 64;
    /** Finite spaces up to this size are enumerated to find what is left. */
    private static final long ENUMERABLE = 1_000_000;

    @Override
    public Proposal propose(ProposalRequest request) {
        SpaceEncoding encoding = new SpaceEncoding(request.space());
        Set<Configuration> seen = new HashSet<>();
        for (Observation o : request.observations()) seen.add(o.configuration());
        List<Configuration> out = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            // one stream per position in the tuning job, so that proposing two at once or one after
            // the other (which depends on timing when jobs run in parallel) gives the same sequence
            SplittableRandom rng = new SplittableRandom(streamSeed(request.seed(), request.observations().size() + i));
            Configuration c = draw(encoding, rng, seen);
            seen.add(c);
            out.add(c);
        }
        return new Proposal(out, null);
    }

    /** A new configuration when one is left (by redrawing, then by enumeration), else any. */
    public static Configuration draw(SpaceEncoding encoding, SplittableRandom rng, Set<Configuration> seen) {
        Configuration c = encoding.random(rng);
        for (int t = 0; t < REDRAWS && seen.contains(c); t++) c = encoding.random(rng);
        if (!seen.contains(c)) return c;
        long size = encoding.size();
        if (size < 0 || size > ENUMERABLE) return c;
        List<Configuration> left = new ArrayList<>();
        for (long k = 0; k < size; k++) {
            Configuration candidate = encoding.configurationAt(k);
            if (!seen.contains(candidate)) left.add(candidate);
        }
        return left.isEmpty() ? c : left.get(rng.nextInt(left.size()));
    }

    /** One stream per (seed, position of the proposal): a SplitMix64-style mix of both. */
    public static long streamSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
