package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final byte[] SECRET = "AKIATEST\nsecret\n".getBytes(StandardCharsets.UTF_8);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T18:00:00Z"));
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    /** What the server's store keeps, shared by every Sessions made here (as by every server on one store). */
    private final java.util.Set<String> signedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final SignOuts signOuts = new SignOuts() {
        @Override public void add(String id, Instant expires) { signedOut.add(id + " " + expires.getEpochSecond()); }
        @Override public boolean contains(String id, Instant expires) { return signedOut.contains(id + " " + expires.getEpochSecond()); }
    };

    private Sessions sessions(byte[] secret) {
        return new Sessions(secret, clock, signOuts);
    }

    @Test
    void aSignInLinkWorksOnce() {
        Sessions sessions = sessions(SECRET);
        String token = sessions.newLinkToken();
        assertThat(sessions.signInWithLink(token)).isPresent();
        assertThat(sessions.signInWithLink(token)).isEmpty();
        assertThat(sessions.signInWithLink("made-up")).isEmpty();
        assertThat(sessions.signInWithLink(null)).isEmpty();
    }

    @Test
    void anUnusedLinkExpires() {
        Sessions sessions = sessions(SECRET);
        String token = sessions.newLinkToken();
        now.set(now.get().plus(Sessions.LINK_LIFETIME));
        assertThat(sessions.signInWithLink(token)).isEmpty();
    }

    @Test
    void sessionsExpireAndCanBeEnded() {
        Sessions sessions = sessions(SECRET);
        Sessions.Session s = sessions.newSession();
        assertThat(sessions.find(s.cookie())).contains(s);
        now.set(now.get().plus(Sessions.LIFETIME).minus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.cookie())).isPresent();
        now.set(now.get().plus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.cookie())).isEmpty();
        Sessions.Session other = sessions.newSession();
        sessions.end(other);
        assertThat(sessions.find(other.cookie())).isEmpty();
    }

    @Test
    void anotherServerWithTheSameSecretAcceptsTheCookieAndItsSignOuts() {
        Sessions first = sessions(SECRET);
        Sessions.Session s = first.newSession();
        Sessions restarted = sessions(SECRET.clone());
        assertThat(restarted.find(s.cookie())).contains(s);
        assertThat(Sessions.csrfMatches(restarted.find(s.cookie()).orElseThrow(), s.csrfToken())).isTrue();
        assertThat(sessions("AKIATEST\nanother\n".getBytes(StandardCharsets.UTF_8)).find(s.cookie())).isEmpty();
        first.end(s);
        assertThat(restarted.find(s.cookie())).isEmpty();
    }

    @Test
    void aCookieChangedAnywhereIsRefused() {
        Sessions sessions = sessions(SECRET);
        String cookie = sessions.newSession().cookie();
        String[] parts = cookie.split("\\.");
        long laterExpiry = Long.parseLong(parts[1]) + 3600;
        for (String tampered : new String[] {parts[0] + "." + laterExpiry + "." + parts[2], flipLast(parts[0]) + "." + parts[1] + "." + parts[2],
                parts[0] + "." + parts[1] + "." + flipLast(parts[2]), parts[0] + "." + parts[1], cookie + ".x", "", "a.b.c", "a.1.c"})
            assertThat(sessions.find(tampered)).as(tampered).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find(cookie)).isPresent();
    }

    @Test
    void eachSessionHasItsOwnUnguessableCsrfToken() {
        Sessions sessions = sessions(SECRET);
        Sessions.Session a = sessions.newSession();
        Sessions.Session b = sessions.newSession();
        assertThat(a.csrfToken()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
        assertThat(a.cookie()).doesNotContain(a.csrfToken());
        assertThat(Sessions.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(Sessions.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(Sessions.csrfMatches(a, null)).isFalse();
        assertThat(Sessions.csrfMatches(a, "")).isFalse();
    }

    private static String flipLast(String s) {
        char c = s.charAt(s.length() - 1);
        return s.substring(0, s.length() - 1) + (c == 'A' ? 'B' : 'A');
    }
}
