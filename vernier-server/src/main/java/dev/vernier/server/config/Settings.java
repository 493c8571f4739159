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
        int maxRequestBytes,
        Training training) {

    /**
     * Settings of the local training backend and the controller.
     *
     * @param images  TrainingImage name → local program that stands for it
     */
    public record Training(int maxConcurrentJobs, long logCapBytes, java.time.Duration stopGracePeriod,
                           Path objectStoreDir, java.util.Map<String, String> images) {
        public Training {
            images = java.util.Map.copyOf(images);
            if (maxConcurrentJobs < 1) throw new SettingsException("max-concurrent-training-jobs must be at least 1");
            if (logCapBytes < 1024) throw new SettingsException("training-log-cap-bytes must be at least 1024");
            if (stopGracePeriod.isNegative()) throw new SettingsException("stop-grace-seconds must not be negative");
        }

        public static Training defaults(Path dataDir) {
            return new Training(8, 100L * 1024 * 1024, java.time.Duration.ofSeconds(120), dataDir.resolve("s3"),
                    java.util.Map.of());
        }
    }

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
            new Key("max-request-bytes", "1048576", "largest request body accepted; larger ones get 413 RequestEntityTooLargeException"),
            new Key("max-concurrent-training-jobs", "8", "training processes running at once on this machine, across all tuning jobs; more wait in a queue"),
            new Key("training-log-cap-bytes", "104857600", "per training job, log bytes kept as written; past it only the last 64 KiB are kept"),
            new Key("stop-grace-seconds", "120", "between SIGTERM and SIGKILL when a training job is stopped or exceeds MaxRuntimeInSeconds"),
            new Key("object-store-dir", null, "directory of the default object store: s3://bucket/key is <dir>/bucket/key (default: <data-dir>/s3)"),
            new Key("images", "", "TrainingImage names mapped to local programs: name=/path/to/program,other=/path/two"));

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
                integer(values, "max-request-bytes"),
                new Training(integer(values, "max-concurrent-training-jobs"), longValue(values, "training-log-cap-bytes"),
                        java.time.Duration.ofSeconds(longValue(values, "stop-grace-seconds")),
                        values.get("object-store-dir") == null ? dataDir.resolve("s3")
                                : Path.of(values.get("object-store-dir")).toAbsolutePath(),
                        images(value(values, "images"))));
    }

    private static long longValue(Map<String, String> values, String key) {
        String v = value(values, key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static Map<String, String> images(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new SettingsException("images must be name=/path pairs separated by commas, got '" + pair + "'");
            String program = pair.substring(eq + 1).trim();
            if (!Path.of(program).isAbsolute())
                throw new SettingsException("images: the program for " + pair.substring(0, eq).trim() + " must be an absolute path");
            out.put(pair.substring(0, eq).trim(), program);
        }
        return out;
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

}
