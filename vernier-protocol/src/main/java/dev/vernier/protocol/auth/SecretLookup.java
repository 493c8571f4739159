package dev.vernier.protocol.auth;

import java.util.Optional;

/** Finds the secret access key that belongs to an access key id; empty when the id is not one of ours. */
@FunctionalInterface
public interface SecretLookup {
    Optional<String> secretFor(String accessKeyId);
}
