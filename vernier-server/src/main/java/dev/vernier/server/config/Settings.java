package dev.vernier.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, loaded once at start-up and immutable afterwards. Every setting has a
 * key (used in the settings file and as a flag {@code --key}) and an environment variable
 * ({@code VERNIER_KEY} upper-cased with '-' as '_'). See {@link SettingsLoader} for precedence.
 */
public record Settings(
        String bindAddress,
        int port,
        Path dataDir,
        Path database,
        String region,
        String accountId,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        int maxRequestBytes) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    /** Every key with its default (null: no default) and one line of help, in documentation order. */
    public static final List<Key> KEYS = List.of(
            new Key("bind-address", "127.0.0.1", "address the HTTP server listens on (0.0.0.0 for all interfaces)"),
            new Key("port", "8080", "TCP port; 0 picks a free port and the server prints the one it bound"),
            new Key("data-dir", ".vernier", "directory for the database, generated credentials, training jobs and the default object store"),
            new Key("database", null, "SQLite database file (default: <data-dir>/vernier.db)"),
            new Key("region", DEFAULT_REGION, "region used in ARNs"),
            new Key("account-id", DEFAULT_ACCOUNT_ID, "12-digit account id used in ARNs"),
            new Key("access-key-id", null, "access key id clients sign with (with secret-access-key); when unset, a key pair is generated into <data-dir>/credentials"),
            new Key("secret-access-key", null, "secret for access-key-id"),
            new Key("max-request-bytes", "1048576", "largest request body accepted; larger ones get 413 RequestEntityTooLargeException"));

    public record Key(String name, String defaultValue, String help) {
        public String environmentVariable() {
            return "VERNIER_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        }
    }

    public Settings {
        List<String> errors = new ArrayList<>();
        if (port < 0 || port > 65535) errors.add("port must be between 0 and 65535, got " + port);
        if (!accountId.matches("[0-9]{12}")) errors.add("account-id must be 12 digits, got '" + accountId + "'");
        if (!region.matches("[a-z0-9-]+")) errors.add("region must match [a-z0-9-]+, got '" + region + "'");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent())
            errors.add("access-key-id and secret-access-key must be set together");
        if (maxRequestBytes < 1024) errors.add("max-request-bytes must be at least 1024, got " + maxRequestBytes);
        if (!errors.isEmpty()) throw new SettingsException(String.join("; ", errors));
    }

    /** Builds settings from resolved string values (key → value), applying defaults and checking types. */
    static Settings fromValues(Map<String, String> values) {
        Path dataDir = Path.of(value(values, "data-dir")).toAbsolutePath().normalize();
        String database = values.get("database");
        return new Settings(
                value(values, "bind-address"),
                integer(values, "port"),
                dataDir,
                database == null ? dataDir.resolve("vernier.db") : Path.of(database).toAbsolutePath(),
                value(values, "region"),
                value(values, "account-id"),
                Optional.ofNullable(values.get("access-key-id")),
                Optional.ofNullable(values.get("secret-access-key")),
                integer(values, "max-request-bytes"));
    }

    private static String value(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v != null) return v;
        return KEYS.stream().filter(k -> k.name().equals(key)).findFirst().orElseThrow().defaultValue();
    }

    private static int integer(Map<String, String> values, String key) {
        String v = value(values, key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key + " must be an integer, got '" + v + "'");
        }
    }

    /** A copy with another port (tests and the demo bind port 0, then learn the real one). */
    public Settings withDataDir(Path dir) {
        return new Settings(bindAddress, port, dir, dir.resolve("vernier.db"), region, accountId,
                accessKeyId, secretAccessKey, maxRequestBytes);
    }
}
