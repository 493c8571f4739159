package dev.vernier.core.strategy.bayes;

import java.util.SplittableRandom;

/**
 * The quasi-random warm-up: point 0 is the centre of the (scaled) cube, as Google Vizier starts;
 * point {@code i > 0} is the {@code i}-th Halton point, shifted modulo 1 by a random vector drawn
 * from the seed (Cranley–Patterson rotation), so different seeds give different but equally
 * well-spread designs.
 */
final class InitialDesign {
    private final double[] shift;

    InitialDesign(int dimensions, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        shift = new double[dimensions];
        for (int j = 0; j < dimensions; j++) shift[j] = rng.nextDouble();
    }

    double[] point(long index) {
        double[] u = new double[shift.length];
        if (index == 0) {
            java.util.Arrays.fill(u, 0.5);
            return u;
        }
        int prime = 1;
        for (int j = 0; j < u.length; j++) {
            prime = nextPrime(prime);
            double v = radicalInverse(index, prime) + shift[j];
            u[j] = v - Math.floor(v);
        }
        return u;
    }

    static double radicalInverse(long index, int base) {
        double result = 0;
        double f = 1.0 / base;
        for (long i = index; i > 0; i /= base) {
            result += f * (i % base);
            f /= base;
        }
        return result;
    }

    private static int nextPrime(int p) {
        int c = p + 1;
        while (!isPrime(c)) c++;
        return c;
    }

    private static boolean isPrime(int c) {
        for (int k = 2; (long) k * k <= c; k++) if (c % k == 0) return false;
        return c >= 2;
    }
}
