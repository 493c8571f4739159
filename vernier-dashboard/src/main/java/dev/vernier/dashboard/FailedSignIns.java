package dev.vernier.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Where failed sign-ins are counted: shared by every server that accepts the same session cookies
 * (the server keeps them in its store), so that N servers do not allow N times as many guesses.
 */
public interface FailedSignIns {
    /** Records a failed sign-in from {@code client} at {@code at}; failures before {@code forgetBefore} may go. */
    void add(String client, Instant at, Instant forgetBefore);

    /** The failed sign-ins from {@code client} at or after {@code since}, oldest first. */
    List<Instant> since(String client, Instant since);

    /** Forgets the failed sign-ins from {@code client}. */
    void clear(String client);
}
