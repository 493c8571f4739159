package dev.vernier.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the dashboard, in memory: a browser cannot sign SigV4, so it signs in once
 * (with an access key and its secret, or a one-time link the server prints) and then carries a
 * random session id in an HttpOnly cookie. Each session has its own CSRF token, which every action
 * must send back in a header. Sessions expire; a restart of the server ends them all.
 */
final class Sessions {
    /** How long a session lasts after sign-in. */
    static final Duration LIFETIME = Duration.ofHours(12);
    /** How long a printed sign-in link stays valid if no one uses it. */
    static final Duration LINK_LIFETIME = Duration.ofHours(24);

    record Session(String id, String csrfToken, Instant expires) {}

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> linkTokens = new ConcurrentHashMap<>();

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new one-time sign-in token, valid for {@link #LINK_LIFETIME} or until used once. */
    String newLinkToken() {
        String token = randomToken();
        linkTokens.put(token, clock.instant().plus(LINK_LIFETIME));
        return token;
    }

    /** Uses up a one-time token: a session if it was valid, empty if unknown, used or expired. */
    Optional<Session> signInWithLink(String token) {
        if (token == null) return Optional.empty();
        Instant expires = linkTokens.remove(token);
        if (expires == null || !clock.instant().isBefore(expires)) return Optional.empty();
        return Optional.of(newSession());
    }

    Session newSession() {
        Session s = new Session(randomToken(), randomToken(), clock.instant().plus(LIFETIME));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id; an expired one is forgotten. */
    Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!clock.instant().isBefore(s.expires())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void end(String id) {
        if (id != null) sessions.remove(id);
    }

    /** Whether {@code sent} is the session's CSRF token, compared in constant time. */
    static boolean csrfMatches(Session session, String sent) {
        return sent != null && equalsConstantTime(session.csrfToken(), sent);
    }

    static boolean equalsConstantTime(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
