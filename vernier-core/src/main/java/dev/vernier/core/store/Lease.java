package dev.vernier.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The right of one server to drive one tuning job until {@code expiresAt}. {@code fence} grows each
 * time the job changes hands; the store refuses a write that carries an older fence, so a server
 * that was paused past its lease cannot act on what it saw before.
 */
public record Lease(String tuningJobName, String owner, long fence, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(tuningJobName, "tuningJobName");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
