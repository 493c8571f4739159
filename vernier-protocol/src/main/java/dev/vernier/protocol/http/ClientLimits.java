package dev.vernier.protocol.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each client address has open at once (being received or being processed), with
 * a cap: one address cannot hold every connection and thread the server has, whatever it sends.
 */
final class ClientLimits {
    private final int maxPerClient;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    ClientLimits(int maxPerClient) {
        if (maxPerClient < 1) throw new IllegalArgumentException("maxPerClient must be at least 1");
        this.maxPerClient = maxPerClient;
    }

    /** Counts one more request from {@code client}, unless it already has the most it may have; then false. */
    boolean tryEnter(String client) {
        boolean[] entered = {false};
        open.compute(client, (c, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerClient) return now;
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** One request of {@code client} has ended; an address with none open is forgotten. */
    void leave(String client) {
        open.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    int maxPerClient() {
        return maxPerClient;
    }
}
