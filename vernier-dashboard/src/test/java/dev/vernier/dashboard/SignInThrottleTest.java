package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T18:00:00Z"));
    /** What the server's store keeps (StoreContract checks the store's own). */
    private final java.util.List<java.util.Map.Entry<String, Instant>> recorded = new java.util.ArrayList<>();
    private final FailedSignIns failures = new FailedSignIns() {
        @Override public void add(String client, Instant at, Instant forgetBefore) {
            recorded.removeIf(e -> e.getValue().isBefore(forgetBefore));
            recorded.add(java.util.Map.entry(client, at));
        }
        @Override public java.util.List<Instant> since(String client, Instant since) {
            return recorded.stream().filter(e -> e.getKey().equals(client) && !e.getValue().isBefore(since))
                    .map(java.util.Map.Entry::getValue).sorted().toList();
        }
        @Override public void clear(String client) { recorded.removeIf(e -> e.getKey().equals(client)); }
    };
    private final SignInThrottle throttle = new SignInThrottle(new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    }, failures);

    @Test
    void anAddressWaitsAfterTooManyFailuresWithinTheWindowUntilTheOldestLeavesIt() {
        for (int i = 0; i < SignInThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("10.0.0.1");
            now.set(now.get().plusSeconds(10));
        }
        assertThat(throttle.wait("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.wait("10.0.0.1")).contains(SignInThrottle.WINDOW.minusSeconds(10L * (SignInThrottle.MAX_FAILURES - 1)));
        assertThat(throttle.wait("10.0.0.2")).isEmpty();
        now.set(now.get().plus(throttle.wait("10.0.0.1").orElseThrow()));
        assertThat(throttle.wait("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("10.0.0.1");
            assertThat(throttle.wait("10.0.0.1")).isEmpty();
            now.set(now.get().plus(SignInThrottle.WINDOW.dividedBy(SignInThrottle.MAX_FAILURES - 1)));
        }
    }

    @Test
    void aSuccessForgetsTheFailures() {
        for (int i = 0; i < SignInThrottle.MAX_FAILURES - 1; i++) throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.wait("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        throttle.failed("10.0.0.1");
        now.set(now.get().plus(SignInThrottle.WINDOW).plusSeconds(1));
        throttle.failed("10.0.0.2");
        assertThat(recorded).extracting(java.util.Map.Entry::getKey).containsExactly("10.0.0.2");
    }
}
