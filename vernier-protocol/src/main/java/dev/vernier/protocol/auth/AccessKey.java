package dev.vernier.protocol.auth;

import java.util.Objects;

/** One access key pair. {@link #toString()} never shows the secret, so a key can be logged safely. */
public record AccessKey(String id, String secret) {
    public AccessKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (id.isBlank() || id.chars().anyMatch(Character::isWhitespace) || id.contains("/")) {
            throw new IllegalArgumentException("access key id must be non-empty, without whitespace or '/': '" + id + "'");
        }
        if (secret.isEmpty() || secret.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("secret access key of '" + id + "' must be non-empty, without whitespace");
        }
    }

    @Override
    public String toString() {
        return "AccessKey[id=" + id + ", secret=****]";
    }
}
