package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T18:00:00Z"));
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    private final Sessions sessions = new Sessions(clock);

    @Test
    void aSignInLinkWorksOnce() {
        String token = sessions.newLinkToken();
        assertThat(sessions.signInWithLink(token)).isPresent();
        assertThat(sessions.signInWithLink(token)).isEmpty();
        assertThat(sessions.signInWithLink("made-up")).isEmpty();
        assertThat(sessions.signInWithLink(null)).isEmpty();
    }

    @Test
    void anUnusedLinkExpires() {
        String token = sessions.newLinkToken();
        now.set(now.get().plus(Sessions.LINK_LIFETIME));
        assertThat(sessions.signInWithLink(token)).isEmpty();
    }

    @Test
    void sessionsExpireAndCanBeEnded() {
        Sessions.Session s = sessions.newSession();
        assertThat(sessions.find(s.id())).contains(s);
        now.set(now.get().plus(Sessions.LIFETIME).minus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.id())).isPresent();
        now.set(now.get().plus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.id())).isEmpty();
        Sessions.Session other = sessions.newSession();
        sessions.end(other.id());
        assertThat(sessions.find(other.id())).isEmpty();
    }

    @Test
    void eachSessionHasItsOwnUnguessableCsrfToken() {
        Sessions.Session a = sessions.newSession();
        Sessions.Session b = sessions.newSession();
        assertThat(a.csrfToken()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
        assertThat(Sessions.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(Sessions.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(Sessions.csrfMatches(a, null)).isFalse();
        assertThat(Sessions.csrfMatches(a, "")).isFalse();
    }
}
