package dev.vernier.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions of the dashboard. A browser cannot sign SigV4, so it signs in once (with an access key and its
 * secret, or a one-time link the server prints) and then carries a session cookie. The cookie holds the session's
 * random id and its expiry, signed with HMAC-SHA256 under a key derived from the server's secret: any server that
 * shares the secret (every replica, and the same server after a restart) accepts it without remembering anything, and
 * a cookie changed by a single character is refused. Each session's CSRF token is derived from its id the same way.
 * Signing out adds the id to {@link SignOuts}, which every server shares. One-time links stay in this server's
 * memory: they are used at once, on the server that printed them.
 */
final class Sessions {
    /** How long a session lasts after sign-in. */
    static final Duration LIFETIME = Duration.ofHours(12);
    /** How long a printed sign-in link stays valid if no one uses it. */
    static final Duration LINK_LIFETIME = Duration.ofHours(24);
    private static final String ALGORITHM = "HmacSHA256";

    /** A signed-in browser: {@code cookie} is what it carries, {@code csrfToken} what its actions must send. */
    record Session(String id, Instant expires, String cookie, String csrfToken) {}

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Clock clock;
    private final SignOuts signedOut;
    private final Map<String, Instant> linkTokens = new ConcurrentHashMap<>();

    /** @param serverSecret what every server that should accept these sessions shares (the access keys' secrets) */
    Sessions(byte[] serverSecret, Clock clock, SignOuts signedOut) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(serverSecret, ALGORITHM), "vernier dashboard sessions v1"), ALGORITHM);
        this.clock = clock;
        this.signedOut = signedOut;
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
        return session(randomToken(), clock.instant().plus(LIFETIME).getEpochSecond());
    }

    /** The session a cookie carries, if its signature is this server's, it has not expired and was not signed out. */
    Optional<Session> find(String cookie) {
        if (cookie == null) return Optional.empty();
        String[] parts = cookie.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        long expires;
        try {
            expires = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Session s = session(parts[0], expires);
        if (!equalsConstantTime(s.cookie(), cookie)) return Optional.empty();
        if (!clock.instant().isBefore(s.expires()) || signedOut.contains(s.id(), s.expires())) return Optional.empty();
        return Optional.of(s);
    }

    /** Signs the session out on every server that shares the sign-outs (the store), also after restarts. */
    void end(Session s) {
        signedOut.add(s.id(), s.expires());
    }

    private Session session(String id, long expiresEpochSecond) {
        String signed = id + "." + expiresEpochSecond;
        return new Session(id, Instant.ofEpochSecond(expiresEpochSecond), signed + "." + encode(hmac(key, signed)),
                encode(hmac(key, "csrf." + id)));
    }

    /** Whether {@code sent} is the session's CSRF token, compared in constant time. */
    static boolean csrfMatches(Session session, String sent) {
        return sent != null && equalsConstantTime(session.csrfToken(), sent);
    }

    static boolean equalsConstantTime(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return encode(bytes);
    }
}
