package dev.vernier.dashboard;

import java.time.Instant;

/**
 * Where sessions signed out before they expire are kept: shared by every server that accepts the
 * same session cookies (the server keeps them in its store), so that a signed-out cookie is refused
 * by every replica, also after a restart.
 */
public interface SignOuts {
    /** Records that session {@code id}, which expires at {@code expires}, was signed out. */
    void add(String id, Instant expires);

    /** Whether session {@code id} that expires at {@code expires} was signed out. */
    boolean contains(String id, Instant expires);
}
