package dev.vernier.testkit.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server tests use: {@code VERNIER_TEST_POSTGRESQL} (a {@code postgresql://} URL), by
 * default {@code postgresql://postgres@127.0.0.1:5432/test} with trust authentication, as CI's
 * {@code .ci/setup-postgresql.sh} leaves it. Each test gets a schema of its own, dropped when the JVM
 * ends. Without a reachable server a test is skipped, except in CI ({@code CI=true}), where it fails.
 */
public final class TestPostgres {
    public static final String URL = System.getenv().getOrDefault("VERNIER_TEST_POSTGRESQL",
            "postgresql://postgres@127.0.0.1:5432/test");
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private TestPostgres() {}

    /** Skips the calling test when PostgreSQL cannot be reached, or fails it in CI. */
    public static void requireAvailable() {
        URI uri = URI.create(URL);
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 2_000);
        } catch (IOException e) {
            String why = "PostgreSQL is not reachable at " + uri.getHost() + ":" + port + " (" + e.getMessage()
                    + "); start it with .ci/setup-postgresql.sh or point VERNIER_TEST_POSTGRESQL at one";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(why);
            Assumptions.abort(why);
        }
    }

    /** A new schema name (the schema itself is created by the store's migrations), dropped at JVM exit. */
    public static String newSchema(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .toLowerCase(java.util.Locale.ROOT);
        remember(name);
        return name;
    }

    /** Drops {@code schema} at JVM exit (for names chosen by the caller). */
    public static void remember(String schema) {
        CREATED.add(schema);
        if (!hooked) {
            synchronized (TestPostgres.class) {
                if (!hooked) {
                    Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropAll, "drop-test-schemas"));
                    hooked = true;
                }
            }
        }
    }

    /** The test database's URL with the tables in {@code schema}. */
    public static String url(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A plain JDBC connection to the test database (the PostgreSQL driver must be on the test classpath). */
    public static Connection connect() throws SQLException {
        URI uri = URI.create(URL);
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":", 2)[0];
        String password = uri.getUserInfo() != null && uri.getUserInfo().contains(":")
                ? uri.getUserInfo().split(":", 2)[1] : System.getenv().getOrDefault("PGPASSWORD", "");
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 5432
                : uri.getPort()) + uri.getPath(), user, password);
    }

    private static void dropAll() {
        if (CREATED.isEmpty()) return;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String schema : CREATED) s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop the test schemas " + CREATED + ": " + e.getMessage());
        }
    }
}
