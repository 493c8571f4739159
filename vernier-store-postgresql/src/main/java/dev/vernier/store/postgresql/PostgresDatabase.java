package dev.vernier.store.postgresql;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives, from a {@code postgresql://[user[:password]@]host[:port]/database[?param=value&...]}
 * URL as libpq and psql write it. What the URL leaves out comes from the usual libpq environment
 * ({@code PGUSER}, {@code PGPASSWORD}, {@code PGPORT}) and then libpq's defaults (port 5432, the
 * operating-system user). The parameter {@code currentSchema} puts the tables in that schema (created
 * when missing); other parameters are passed to the PostgreSQL JDBC driver as they are (e.g.
 * {@code sslmode=require}).
 *
 * @param password empty when the server trusts the connection (or a {@code .pgpass} file answers)
 */
public record PostgresDatabase(String host, int port, String database, String user, Optional<String> password,
                               Optional<String> schema, Map<String, String> parameters, int poolSize,
                               Duration connectTimeout) {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public PostgresDatabase {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        parameters = Map.copyOf(parameters);
        schema.ifPresent(s -> {
            if (!SCHEMA.matcher(s).matches())
                throw new IllegalArgumentException("currentSchema must be a lower-case SQL name ([a-z_][a-z0-9_]*), got '" + s + "'");
        });
    }

    /** True for the URLs this store takes ({@code postgresql://} or {@code postgres://}). */
    public static boolean isUrl(String value) {
        return value != null && (value.startsWith("postgresql://") || value.startsWith("postgres://"));
    }

    /**
     * Reads a URL; {@code password} (a setting kept out of the URL) wins over the environment's
     * {@code PGPASSWORD}, and a password in the URL wins over both.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PostgresDatabase parse(String url, Optional<String> password, Map<String, String> environment) {
        if (!isUrl(url)) throw new IllegalArgumentException("a PostgreSQL database URL starts with postgresql://, got '" + url + "'");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid PostgreSQL URL (" + e.getReason() + "): " + redacted(url));
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("the PostgreSQL URL names no host: " + redacted(url));
        int port = uri.getPort() != -1 ? uri.getPort() : environment.containsKey("PGPORT") ? parsePort(environment.get("PGPORT")) : 5432;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty() || database.contains("/"))
            throw new IllegalArgumentException("the PostgreSQL URL must name one database (postgresql://host:port/database): " + redacted(url));
        String user = null;
        Optional<String> secret = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) secret = Optional.of(decode(userInfo.substring(colon + 1)));
        }
        if (user == null || user.isEmpty()) user = environment.getOrDefault("PGUSER", System.getProperty("user.name"));
        if (secret.isEmpty()) secret = password.filter(p -> !p.isEmpty());
        if (secret.isEmpty()) secret = Optional.ofNullable(environment.get("PGPASSWORD")).filter(p -> !p.isEmpty());
        Map<String, String> parameters = new LinkedHashMap<>();
        Optional<String> schema = Optional.empty();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (name.equals("currentSchema")) schema = Optional.of(value);
                else if (name.equals("user") || name.equals("password"))
                    throw new IllegalArgumentException("put the user in the URL (postgresql://user@host/db) and the password in "
                            + "database-password or PGPASSWORD, not in the parameter '" + name + "'");
                else parameters.put(name, value);
            }
        }
        return new PostgresDatabase(host, port, database, user, secret, schema, parameters, DEFAULT_POOL_SIZE,
                DEFAULT_CONNECT_TIMEOUT);
    }

    /** The same database with the tables in another schema (e.g. one per test). */
    public PostgresDatabase withSchema(String schema) {
        return new PostgresDatabase(host, port, database, user, password, Optional.of(schema), parameters, poolSize,
                connectTimeout);
    }

    /** The same database with another pool size and connection timeout. */
    public PostgresDatabase withPool(int size, Duration timeout) {
        return new PostgresDatabase(host, port, database, user, password, schema, parameters, size, timeout);
    }

    /** The JDBC URL of the driver, without the password. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host.contains(":") ? "[" + host + "]" : host)
                .append(':').append(port).append('/').append(encode(database));
        Map<String, String> all = new LinkedHashMap<>(parameters);
        schema.ifPresent(s -> all.put("currentSchema", s));
        char sep = '?';
        for (Map.Entry<String, String> e : all.entrySet()) {
            url.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return url.toString();
    }

    /** The URL as it may be logged: without its password. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database + schema.map(s -> "?currentSchema=" + s).orElse("");
    }

    private static String redacted(String url) {
        return url.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PGPORT must be a port number, got '" + value + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
