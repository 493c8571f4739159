package dev.vernier.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Several server processes on one PostgreSQL database and data directory, and who holds which lease. */
final class Replicas implements AutoCloseable {
    /** A tuning job's lease as stored: the owner is "vernier-<pid>-<uuid>". */
    record StoredLease(String owner, long expiresAtMillis, long fence) {
        long pid() {
            return Long.parseLong(owner.split("-")[1]);
        }
    }

    final Path data;
    private final Path dir;
    private final String[] args;
    final List<ServerProcess> servers = new ArrayList<>();
    private final List<ServerProcess> started = new ArrayList<>();
    private int outputs;

    Replicas(Path dir, int count, String... args) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.args = args;
        for (int i = 0; i < count; i++) servers.add(startOne());
    }

    ServerProcess startOne() {
        TestServer.provideRequestData(data);   // reachable by the job user (root runs programs as nobody), with the requests' channel data
        ServerProcess s = ServerProcess.start(data, dir.resolve("replica-" + (outputs++) + ".out"), args);
        started.add(s);
        return s;
    }

    /** Replaces server {@code i} (already killed) by a new process on the same database and data directory. */
    ServerProcess restart(int i) {
        ServerProcess s = startOne();
        servers.set(i, s);
        return s;
    }

    int indexOf(long pid) {
        for (int i = 0; i < servers.size(); i++) if (servers.get(i).pid() == pid) return i;
        return -1;
    }

    Optional<StoredLease> lease(String tuningJob) throws SQLException {
        try (Connection c = TestDatabase.connect(data);
             PreparedStatement q = c.prepareStatement(
                     "SELECT lease_owner, lease_expires_at, lease_fence FROM tuning_job WHERE name_key = ?")) {
            q.setString(1, tuningJob.toLowerCase(Locale.ROOT));
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) return Optional.empty();
                return Optional.of(new StoredLease(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
    }

    /** Waits until a lease on the job is held by someone other than {@code owner}; answers it and when it was seen. */
    StoredLease awaitOwnerOtherThan(String tuningJob, String owner, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Optional<StoredLease> l = lease(tuningJob);
            if (l.isPresent() && !l.get().owner().equals(owner)) return l.get();
            Thread.sleep(25);
        }
        throw new AssertionError("nobody took the lease of " + tuningJob + " from " + owner + " within " + timeoutMillis + " ms");
    }

    /** Waits until some server holds the job's lease. */
    StoredLease awaitOwner(String tuningJob, long timeoutMillis) throws Exception {
        return awaitOwnerOtherThan(tuningJob, "", timeoutMillis);
    }

    @Override
    public void close() {
        for (ServerProcess s : started) {
            try {
                if (s.alive()) s.signal("CONT");
            } catch (Exception e) {
                // gone already
            }
            s.close();
        }
    }
}
