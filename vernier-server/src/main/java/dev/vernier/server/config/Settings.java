package dev.vernier.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's settings, loaded once at start-up and immutable afterwards. Every setting has a
 * key (used in the settings file and as a flag {@code --key}) and an environment variable
 * ({@code VERNIER_KEY} upper-cased with '-' as '_'). See {@link SettingsLoader} for precedence.
 * Besides {@link #KEYS}, the training backend chosen by {@code backend} has keys of its own.
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
        Training training,
        Network network,
        Optional<String> databaseUrl,
        Optional<String> databasePassword,
        ObjectStorage objectStorage) {

    /** Settings as before the front door's own ({@link Network}) and PostgreSQL existed: defaults, SQLite. */
    public Settings(String bindAddress, int port, Path dataDir, Path database, String region, String accountId,
                    Optional<String> accessKeyId, Optional<String> secretAccessKey, int maxRequestBytes,
                    Training training) {
        this(bindAddress, port, dataDir, database, region, accountId, accessKeyId, secretAccessKey, maxRequestBytes,
                training, Network.DEFAULTS, Optional.empty(), Optional.empty(), ObjectStorage.directoryNotServed(region));
    }

    /** The same settings with other network settings. */
    public Settings withNetwork(Network other) {
        return new Settings(bindAddress, port, dataDir, database, region, accountId, accessKeyId, secretAccessKey,
                maxRequestBytes, training, other, databaseUrl, databasePassword, objectStorage);
    }

    /** The same settings with {@code s3://} locations elsewhere. */
    public Settings withObjectStorage(ObjectStorage other) {
        return new Settings(bindAddress, port, dataDir, database, region, accountId, accessKeyId, secretAccessKey,
                maxRequestBytes, training, network, databaseUrl, databasePassword, other);
    }

    /** The same settings on a PostgreSQL database ({@code postgresql://...}) instead of the SQLite file. */
    public Settings withPostgresql(String url, Optional<String> password) {
        return new Settings(bindAddress, port, dataDir, database, region, accountId, accessKeyId, secretAccessKey,
                maxRequestBytes, training, network, Optional.of(url), password, objectStorage);
    }

    /** True when the state is in a PostgreSQL database that several servers may share. */
    public boolean postgresql() {
        return databaseUrl.isPresent();
    }

    /**
     * How the server meets the network: read timeout, per-client cap, TLS, and the roots that {@code file://}
     * locations may name.
     *
     * @param requestReadTimeout    a request's headers and body must arrive within it, else the connection is closed
     * @param maxRequestsPerClient  requests open at once from one client address (being received or processed)
     * @param tlsCertificate        PEM certificate chain; with {@code tlsPrivateKey}, the server speaks HTTPS
     * @param tlsPrivateKey         PEM PKCS#8 private key
     * @param fileRoots             the directories {@code file://} images and data and output locations must lie
     *                              under; empty: any path
     */
    public record Network(Duration requestReadTimeout, int maxRequestsPerClient, Optional<Path> tlsCertificate,
                          Optional<Path> tlsPrivateKey, Optional<List<Path>> fileRoots) {
        public static final Network DEFAULTS = new Network(Duration.ofSeconds(20), 64, Optional.empty(),
                Optional.empty(), Optional.empty());

        public Network {
            fileRoots = fileRoots.map(List::copyOf);
            if (requestReadTimeout.toSeconds() < 1) throw new SettingsException("request-read-timeout-seconds must be at least 1");
            if (maxRequestsPerClient < 1) throw new SettingsException("max-requests-per-client must be at least 1");
            if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent())
                throw new SettingsException("tls-certificate and tls-private-key must be set together");
        }

        public boolean https() {
            return tlsCertificate.isPresent();
        }
    }

    /**
     * Where {@code s3://} locations live: an S3-compatible endpoint, or (without one) the directory
     * store, which the server can also serve over the S3 protocol.
     *
     * @param endpoint         an S3-compatible endpoint; empty: the directory store ({@link Training#objectStoreDir()})
     * @param region           the region S3 requests are signed for
     * @param pathStyle        path-style requests ({@code http://host/bucket/key})
     * @param accessKeyId      with {@code secretAccessKey}; empty: the AWS SDK's default credential chain
     * @param secretAccessKey  the secret of {@code accessKeyId}
     * @param servePort        without an endpoint, the port on which the directory store is served over the
     *                         S3 protocol with the server's keys (0: a free port); empty: not served
     */
    public record ObjectStorage(Optional<URI> endpoint, String region, boolean pathStyle, Optional<String> accessKeyId,
                                Optional<String> secretAccessKey, OptionalInt servePort) {
        public ObjectStorage {
            if (accessKeyId.isPresent() != secretAccessKey.isPresent())
                throw new SettingsException("s3-access-key-id and s3-secret-access-key must be set together");
            if (servePort.isPresent() && (servePort.getAsInt() < 0 || servePort.getAsInt() > 65535))
                throw new SettingsException("s3-port must be between 0 and 65535, got " + servePort.getAsInt());
            if (endpoint.isPresent()) servePort = OptionalInt.empty();
        }

        /** The directory store, not served over the S3 protocol. */
        public static ObjectStorage directoryNotServed(String region) {
            return new ObjectStorage(Optional.empty(), region, true, Optional.empty(), Optional.empty(), OptionalInt.empty());
        }

        /** The same with the directory store served on {@code port} (0: a free port). */
        public ObjectStorage servedOn(int port) {
            return new ObjectStorage(endpoint, region, pathStyle, accessKeyId, secretAccessKey, OptionalInt.of(port));
        }
    }

    /**
     * How training jobs run: the backend and its own settings, the controller's cap, and what
     * every backend keeps of the training-job contract.
     *
     * @param backend            the training backend's name ({@link TrainingBackends})
     * @param maxConcurrentJobs  the controller's cap on running training jobs, across tuning jobs
     * @param logCapBytes        contract: log bytes kept per training job as written (then its end)
     * @param stopGracePeriod    contract: between SIGTERM and SIGKILL
     * @param objectStoreDir     the default object store, which every backend reads and writes
     * @param backendSettings    values of the backend's own keys (given or default)
     */
    public record Training(String backend, int maxConcurrentJobs, long logCapBytes, Duration stopGracePeriod,
                           Path objectStoreDir, Map<String, String> backendSettings) {
        public Training {
            Objects.requireNonNull(backend, "backend");
            backendSettings = Map.copyOf(backendSettings);
            if (maxConcurrentJobs < 1) throw new SettingsException("max-concurrent-training-jobs must be at least 1");
            if (logCapBytes < 1024) throw new SettingsException("training-log-cap-bytes must be at least 1024");
            if (stopGracePeriod.isNegative()) throw new SettingsException("stop-grace-seconds must not be negative");
        }

        /** The same settings with another cap on running training jobs. */
        public Training withMaxConcurrentJobs(int jobs) {
            return new Training(backend, jobs, logCapBytes, stopGracePeriod, objectStoreDir, backendSettings);
        }
    }

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final String DEFAULT_BACKEND = "local";

    /** Every key of the server with its default (null: no default) and one line of help, in documentation order. */
    public static final List<Key> KEYS = List.of(
            new Key("bind-address", "127.0.0.1", "address the HTTP server listens on (0.0.0.0 for all interfaces)"),
            new Key("port", "8080", "TCP port; 0 picks a free port and the server prints the one it bound"),
            new Key("data-dir", ".vernier", "directory for the database, generated credentials, training jobs and the default object store"),
            new Key("database", null, "SQLite database file (default: <data-dir>/vernier.db), or a PostgreSQL database "
                    + "postgresql://user@host:port/db that several servers share (password from database-password or PGPASSWORD)"),
            new Key("database-password", null, "password of the PostgreSQL user (else PGPASSWORD, or none); keep it in the settings file or VERNIER_DATABASE_PASSWORD rather than on the command line"),
            new Key("region", DEFAULT_REGION, "region used in ARNs"),
            new Key("account-id", DEFAULT_ACCOUNT_ID, "12-digit account id used in ARNs"),
            new Key("access-key-id", null, "access key id clients sign with (with secret-access-key); when unset, a key pair is generated into <data-dir>/credentials"),
            new Key("secret-access-key", null, "secret for access-key-id"),
            new Key("max-request-bytes", "1048576", "largest request body accepted; larger ones get 413 RequestEntityTooLargeException"),
            new Key("backend", DEFAULT_BACKEND, "the training backend that runs training jobs"),
            new Key("max-concurrent-training-jobs", "8", "training jobs running at once (with the local backend: processes on this machine), across all tuning jobs; more wait in a queue"),
            new Key("training-log-cap-bytes", "104857600", "per training job, log bytes kept as written; past it only the last 64 KiB are kept"),
            new Key("stop-grace-seconds", "120", "between SIGTERM and SIGKILL when a training job is stopped or exceeds MaxRuntimeInSeconds"),
            new Key("object-store-dir", null, "directory of the default object store: s3://bucket/key is <dir>/bucket/key (default: <data-dir>/s3)"),
            new Key("request-read-timeout-seconds", "20", "a request's headers and body must arrive within this many seconds, else its connection is closed"),
            new Key("max-requests-per-client", "64", "requests open at once from one client address (being received or processed); more get ThrottlingException"),
            new Key("tls-certificate", null, "PEM certificate (chain) file; with tls-private-key the server speaks HTTPS only"),
            new Key("tls-private-key", null, "PEM PKCS#8 private key file of tls-certificate"),
            new Key("file-roots", null, "comma-separated directories that file:// images, data and output locations must lie under; 'any' for any path (the default on a loopback address; required on any other)"),
            new Key("s3-port", "auto", "port on which the directory store is also served over the S3 protocol, with the server's keys: auto is port + 1 (a free port when port is 0), off serves none; not used with s3-endpoint"),
            new Key("s3-endpoint", null, "an S3-compatible endpoint (AWS S3, MinIO, Ceph, ...) for s3:// locations, e.g. http://127.0.0.1:9000; unset: s3:// is the directory store"),
            new Key("s3-region", null, "region S3 requests are signed for (default: region)"),
            new Key("s3-path-style", "true", "path-style S3 requests (http://host/bucket/key); false for virtual-hosted style"),
            new Key("s3-access-key-id", null, "access key id for s3-endpoint (with s3-secret-access-key); unset: the AWS default credential chain (AWS_* variables, profile, instance role)"),
            new Key("s3-secret-access-key", null, "secret for s3-access-key-id"));

    public record Key(String name, String defaultValue, String help) {
        public String environmentVariable() {
            return "VERNIER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
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
        databaseUrl.ifPresent(url -> {
            try {
                dev.vernier.store.postgresql.PostgresDatabase.parse(url, databasePassword, Map.of());
            } catch (IllegalArgumentException e) {
                errors.add("database: " + e.getMessage());
            }
        });
        if (!errors.isEmpty()) throw new SettingsException(String.join("; ", errors));
    }

    /**
     * Builds settings from resolved string values (key → value), applying defaults, checking types
     * and letting the chosen backend check its own.
     */
    static Settings fromValues(Map<String, String> values, TrainingBackends backends) {
        Path dataDir = Path.of(value(values, "data-dir")).toAbsolutePath().normalize();
        String database = values.get("database");
        boolean postgresql = dev.vernier.store.postgresql.PostgresDatabase.isUrl(database);
        String backend = value(values, "backend").trim();
        return new Settings(
                value(values, "bind-address"),
                integer(values, "port"),
                dataDir,
                database == null || postgresql ? dataDir.resolve("vernier.db") : Path.of(database).toAbsolutePath(),
                value(values, "region"),
                value(values, "account-id"),
                Optional.ofNullable(values.get("access-key-id")),
                Optional.ofNullable(values.get("secret-access-key")),
                integer(values, "max-request-bytes"),
                new Training(backend, integer(values, "max-concurrent-training-jobs"),
                        longValue(values, "training-log-cap-bytes"),
                        Duration.ofSeconds(longValue(values, "stop-grace-seconds")),
                        values.get("object-store-dir") == null ? dataDir.resolve("s3")
                                : Path.of(values.get("object-store-dir")).toAbsolutePath(),
                        backends.settingsOf(backend, values)),
                network(values),
                postgresql ? Optional.of(database) : Optional.empty(),
                Optional.ofNullable(values.get("database-password")),
                objectStorage(values, integer(values, "port")));
    }

    private static Network network(Map<String, String> values) {
        Optional<Path> certificate = Optional.ofNullable(values.get("tls-certificate")).map(p -> Path.of(p).toAbsolutePath());
        Optional<Path> key = Optional.ofNullable(values.get("tls-private-key")).map(p -> Path.of(p).toAbsolutePath());
        return new Network(Duration.ofSeconds(longValue(values, "request-read-timeout-seconds")),
                integer(values, "max-requests-per-client"), certificate, key,
                fileRoots(values.get("file-roots"), value(values, "bind-address")));
    }

    /**
     * The allow-list of {@code file://} roots. Unset means any path, but only on a loopback address: a server that
     * listens on the network without one would let every client read and write whatever its user can.
     */
    private static Optional<List<Path>> fileRoots(String value, String bindAddress) {
        if (value == null || value.isBlank()) {
            if (!isLoopback(bindAddress))
                throw new SettingsException("bind-address " + bindAddress + " is not a loopback address, so file:// "
                        + "locations need an allow-list: set file-roots to the directories that images, data and "
                        + "output may lie under (comma-separated), or to 'any' to allow every path this user can reach");
            return Optional.empty();
        }
        if (value.strip().equals("any")) return Optional.empty();
        List<Path> roots = new ArrayList<>();
        for (String root : value.split(",")) {
            if (root.isBlank()) continue;
            Path path = Path.of(root.strip());
            if (!path.isAbsolute()) throw new SettingsException("file-roots must be absolute paths, got '" + root.strip() + "'");
            roots.add(path.normalize());
        }
        if (roots.isEmpty()) throw new SettingsException("file-roots names no directory: '" + value + "'");
        return Optional.of(roots);
    }

    /** Whether {@code address} is a loopback address (an unknown name is not). */
    public static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static ObjectStorage objectStorage(Map<String, String> values, int port) {
        Optional<URI> endpoint = Optional.ofNullable(values.get("s3-endpoint")).map(String::trim).filter(e -> !e.isEmpty())
                .map(e -> {
                    try {
                        URI uri = new URI(e);
                        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null)
                            throw new SettingsException("s3-endpoint must be an http:// or https:// URL, got '" + e + "'");
                        return uri;
                    } catch (URISyntaxException bad) {
                        throw new SettingsException("s3-endpoint must be an http:// or https:// URL, got '" + e + "'");
                    }
                });
        String pathStyle = value(values, "s3-path-style").trim().toLowerCase(Locale.ROOT);
        if (!pathStyle.equals("true") && !pathStyle.equals("false"))
            throw new SettingsException("s3-path-style must be true or false, got '" + pathStyle + "'");
        String served = value(values, "s3-port").trim().toLowerCase(Locale.ROOT);
        OptionalInt servePort = switch (served) {
            case "off" -> OptionalInt.empty();
            case "auto" -> OptionalInt.of(port == 0 ? 0 : port + 1);
            default -> OptionalInt.of(integer(values, "s3-port"));
        };
        String region = values.getOrDefault("s3-region", value(values, "region")).trim();
        return new ObjectStorage(endpoint, region, pathStyle.equals("true"),
                Optional.ofNullable(values.get("s3-access-key-id")), Optional.ofNullable(values.get("s3-secret-access-key")),
                servePort);
    }

    private static long longValue(Map<String, String> values, String key) {
        String v = value(values, key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key + " must be an integer, got '" + v + "'");
        }
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
