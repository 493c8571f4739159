package dev.vernier.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address: after {@link #MAX_FAILURES} within {@link #WINDOW}, every attempt from that
 * address (right or wrong) is refused until the oldest of them leaves the window, so a secret cannot be guessed at
 * the speed of the network. A successful sign-in forgets the address's failures. Counted by each server on its own.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Past this many addresses, those with no failure left in the window are forgotten. */
    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the address must wait before its next attempt; empty when it may try now. */
    Optional<Duration> wait(String client) {
        Deque<Instant> times = failures.get(client);
        if (times == null) return Optional.empty();
        synchronized (times) {
            Instant now = clock.instant();
            prune(times, now);
            if (times.size() < MAX_FAILURES) return Optional.empty();
            return Optional.of(Duration.between(now, times.peekFirst().plus(WINDOW)));
        }
    }

    void failed(String client) {
        if (failures.size() > SWEEP_ABOVE) sweep();
        Deque<Instant> times = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.instant());
            while (times.size() > MAX_FAILURES) times.removeFirst();
        }
    }

    void succeeded(String client) {
        failures.remove(client);
    }

    private void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) times.removeFirst();
    }

    private void sweep() {
        Instant now = clock.instant();
        failures.values().removeIf(times -> {
            synchronized (times) {
                prune(times, now);
                return times.isEmpty();
            }
        });
    }
}
