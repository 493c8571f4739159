package dev.vernier.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Failed sign-ins per client address: after {@link #MAX_FAILURES} within {@link #WINDOW}, every attempt from that
 * address (right or wrong) is refused until the oldest of them leaves the window, so a secret cannot be guessed at
 * the speed of the network. A successful sign-in forgets the address's failures. Counted in {@link FailedSignIns},
 * which every server shares; an attempt refused for waiting is not counted, so an address has at most
 * {@link #MAX_FAILURES} failures recorded in any window.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final FailedSignIns failures;

    SignInThrottle(Clock clock, FailedSignIns failures) {
        this.clock = clock;
        this.failures = failures;
    }

    /** How long the address must wait before its next attempt; empty when it may try now. */
    Optional<Duration> wait(String client) {
        Instant now = clock.instant();
        List<Instant> times = failures.since(client, now.minus(WINDOW).plusMillis(1));   // those still in the window
        if (times.size() < MAX_FAILURES) return Optional.empty();
        return Optional.of(Duration.between(now, times.get(times.size() - MAX_FAILURES).plus(WINDOW)));
    }

    void failed(String client) {
        Instant now = clock.instant();
        failures.add(client, now, now.minus(WINDOW));
    }

    void succeeded(String client) {
        failures.clear(client);
    }
}
