package dev.vernier.server;

import dev.vernier.server.config.Settings;
import dev.vernier.testkit.store.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which store the end-to-end tests run on: SQLite (the default), or PostgreSQL when the system
 * property {@code vernier.test.store} is {@code postgresql} (the build runs the suite once more so).
 * On PostgreSQL each data directory gets a schema of its own, named after it, so that a server
 * restarted on the same data directory finds its state again.
 */
public final class TestDatabase {
    private TestDatabase() {}

    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty("vernier.test.store"));
    }

    /** The schema of a data directory's state on PostgreSQL. */
    static String schema(Path dataDir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            String name = "e2e_" + HexFormat.of().formatHex(hash, 0, 8);
            TestPostgres.remember(name);
            return name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PostgreSQL URL of a data directory's state. */
    public static String url(Path dataDir) {
        return TestPostgres.url(schema(dataDir));
    }

    /** {@code settings} on the store under test. */
    public static Settings on(Settings settings) {
        if (!postgresql()) return settings;
        TestPostgres.requireAvailable();
        return settings.withPostgresql(url(settings.dataDir()), Optional.empty());
    }

    /** The flags that put a server process on the store under test. */
    static List<String> serverArgs(Path dataDir) {
        if (!postgresql()) return List.of();
        TestPostgres.requireAvailable();
        return List.of("--database", url(dataDir));
    }

    /** A JDBC connection to a data directory's state, to look at what a server stored. */
    static Connection connect(Path dataDir) throws SQLException {
        if (!postgresql()) return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("vernier.db"));
        Connection c = TestPostgres.connect();
        c.setSchema(schema(dataDir));
        return c;
    }
}
