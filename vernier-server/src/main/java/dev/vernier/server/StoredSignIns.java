package dev.vernier.server;

import dev.vernier.core.store.Store;
import dev.vernier.dashboard.FailedSignIns;
import dev.vernier.dashboard.SignOuts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The dashboard's signed-out sessions and failed sign-ins in the server's store, so that every
 * server on the same database refuses a signed-out cookie, whatever its data directory, and counts
 * every server's failed sign-ins against an address.
 */
final class StoredSignIns implements SignOuts, FailedSignIns {
    private final Store store;
    private final Clock clock;

    StoredSignIns(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The store's sign-outs, with those an earlier version kept in {@code file} ({@code <expiry epoch
     * second> <session id>} a line) moved into the store first, so that no signed-out cookie comes back to life.
     */
    static StoredSignIns importing(Path file, Store store, Clock clock) {
        var signOuts = new StoredSignIns(store, clock);
        try {
            long now = clock.instant().getEpochSecond();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ", 2);
                if (f.length == 2 && f[0].matches("[0-9]{1,18}") && Long.parseLong(f[0]) > now)
                    signOuts.add(f[1], Instant.ofEpochSecond(Long.parseLong(f[0])));
            }
            Files.delete(file);
        } catch (NoSuchFileException e) {
            // nothing to move
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the dashboard's sign-outs from " + file + " into the store", e);
        }
        return signOuts;
    }

    @Override
    public void add(String id, Instant expires) {
        store.recordSignOut(id, expires, clock.instant());
    }

    @Override
    public boolean contains(String id, Instant expires) {
        return store.signedOut(id, expires);
    }

    @Override
    public void add(String client, Instant at, Instant forgetBefore) {
        store.recordFailedSignIn(client, at, forgetBefore);
    }

    @Override
    public List<Instant> since(String client, Instant since) {
        return store.failedSignIns(client, since);
    }

    @Override
    public void clear(String client) {
        store.clearFailedSignIns(client);
    }
}
