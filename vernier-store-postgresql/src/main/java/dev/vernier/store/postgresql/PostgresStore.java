package dev.vernier.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vernier.core.store.StoreUnavailableException;
import dev.vernier.store.jdbc.Dialect;
import dev.vernier.store.jdbc.JdbcStore;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * A store in a PostgreSQL database that several servers share: any server answers any request, and
 * the one holding a tuning job's lease drives it.
 *
 * <p>Transactions run at READ COMMITTED. Tuning-job rows are written by compare-and-set on their
 * version (an UPDATE re-checks its WHERE clause on the row it locked, so two writers of one version
 * cannot both succeed); every fenced write first locks its tuning job's row ({@code SELECT ... FOR
 * UPDATE}) and checks the lease on it, so a lease cannot change hands between the check and the
 * write: a takeover waits for the write to commit, or the write sees the new owner and is refused.
 * Taking a free lease locks its row too (in one order, oldest job first), so a takeover waits for a
 * fenced write under way and is never starved by it. A transaction that deadlocks is run again; a
 * database that cannot be reached is a {@link StoreUnavailableException}. The SQL itself is
 * {@link JdbcStore}'s, shared with SQLite.
 */
public final class PostgresStore extends JdbcStore {
    /** The PostgreSQL migration set (each SQL dialect has its own). */
    static final String MIGRATIONS = "classpath:db/postgresql";
    /** Tries of a transaction that failed on a deadlock or serialization conflict. */
    private static final int TRIES = 5;

    private PostgresStore(HikariDataSource pool) {
        super(new PostgresDialect(pool, Dialect.jdbi(pool)));
    }

    /** Connects (waiting up to {@code connectTimeout} for a connection) and brings the schema up to date. */
    public static PostgresStore open(PostgresDatabase database) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(database.jdbcUrl());
        hikari.setUsername(database.user());
        database.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(database.poolSize());
        hikari.setMinimumIdle(Math.min(2, database.poolSize()));
        hikari.setPoolName("vernier-postgresql");
        hikari.setConnectionTimeout(database.connectTimeout().toMillis());
        hikari.setInitializationFailTimeout(-1);   // start even if the database is down; requests then answer 503
        hikari.addDataSourceProperty("ApplicationName", "vernier");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            var flyway = Flyway.configure().dataSource(pool).locations(MIGRATIONS);
            database.schema().ifPresent(s -> flyway.schemas(s).defaultSchema(s).createSchemas(true));
            flyway.load().migrate();
            return new PostgresStore(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public int heartbeat(String owner, Instant now, Duration ttl) {
        return write(h -> {
            if (ttl == null) {
                h.createUpdate("DELETE FROM server_heartbeat WHERE owner = ?").bind(0, owner).execute();
            } else {
                h.createUpdate("INSERT INTO server_heartbeat (owner, expires_at) VALUES (?, ?)"
                                + " ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at")
                        .bind(0, owner).bind(1, now.plus(ttl).toEpochMilli()).execute();
                // servers gone for an hour are forgotten
                h.createUpdate("DELETE FROM server_heartbeat WHERE expires_at < ?")
                        .bind(0, now.minus(Duration.ofHours(1)).toEpochMilli()).execute();
            }
            return h.createQuery("SELECT count(*) FROM server_heartbeat WHERE expires_at >= ?")
                    .bind(0, now.toEpochMilli()).mapTo(Integer.class).one();
        });
    }

    /** One pool; row locks and advisory locks where servers write at once; conflicts run again. */
    private record PostgresDialect(HikariDataSource pool, Jdbi db) implements Dialect {
        @Override
        public <T> T write(HandleCallback<T, RuntimeException> work) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return db.inTransaction(work);
                } catch (RuntimeException e) {
                    String state = sqlState(e);
                    boolean conflict = "40001".equals(state) || "40P01".equals(state);
                    if (conflict && attempt < TRIES) continue;
                    throw translated(e);
                }
            }
        }

        @Override
        public <T> T read(HandleCallback<T, RuntimeException> work) {
            try {
                return db.withHandle(work);
            } catch (RuntimeException e) {
                throw translated(e);
            }
        }

        /** A database that cannot be reached is told apart from every other failure. */
        private static RuntimeException translated(RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLTransientConnectionException
                        || (t instanceof SQLException s && s.getSQLState() != null && unavailable(s.getSQLState())))
                    return new StoreUnavailableException("the PostgreSQL database is not reachable: " + t.getMessage(), e);
            }
            return e;
        }

        /** Connection exceptions (08...), the server shutting down or starting (57P01-57P03), too many connections (53300). */
        private static boolean unavailable(String state) {
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                    || state.equals("53300");
        }

        private static String sqlState(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
            return null;
        }

        @Override
        public String lockingRead() {
            return " FOR UPDATE";
        }

        @Override
        public void lockTags(Handle h, String resourceArn) {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?))) AS locked").bind(0, resourceArn)
                    .mapTo(Integer.class).one();
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
