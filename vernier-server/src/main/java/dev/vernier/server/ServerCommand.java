package dev.vernier.server;

import dev.vernier.protocol.auth.AccessKeys;
import dev.vernier.server.Vernier;
import dev.vernier.server.VernierServer;
import dev.vernier.server.config.Settings;
import dev.vernier.server.config.SettingsException;
import dev.vernier.server.config.SettingsLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vernier server}: runs the API server until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Runs the Vernier server (SageMaker's hyperparameter-tuning API over AWS JSON 1.1).",
        footer = {"", "Settings come from defaults < settings file < VERNIER_* environment variables < flags.",
                "Example:", "  vernier server --port 0 --data-dir /tmp/vernier"})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (Java properties); default <data-dir>/vernier.properties if present")
    String config;
    @Option(names = "--bind-address", paramLabel = "ADDR", description = "address to listen on (default 127.0.0.1)")
    String bindAddress;
    @Option(names = "--port", description = "TCP port (default 8080; 0 picks a free port)")
    String port;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default .vernier)")
    String dataDir;
    @Option(names = "--database", paramLabel = "FILE", description = "SQLite file (default <data-dir>/vernier.db)")
    String database;
    @Option(names = "--region", description = "region in ARNs (default us-east-1)")
    String region;
    @Option(names = "--account-id", paramLabel = "ID", description = "12-digit account id in ARNs (default 000000000000)")
    String accountId;
    @Option(names = "--access-key-id", paramLabel = "ID", description = "access key id clients sign with")
    String accessKeyId;
    @Option(names = "--secret-access-key", paramLabel = "SECRET", description = "its secret")
    String secretAccessKey;
    @Option(names = "--max-request-bytes", paramLabel = "N", description = "largest request body (default 1048576)")
    String maxRequestBytes;
    @Option(names = "--max-concurrent-training-jobs", paramLabel = "N", description = "training processes at once on this machine, across tuning jobs (default 8)")
    String maxConcurrentTrainingJobs;
    @Option(names = "--training-log-cap-bytes", paramLabel = "N", description = "log bytes kept per training job (default 104857600)")
    String trainingLogCapBytes;
    @Option(names = "--stop-grace-seconds", paramLabel = "S", description = "SIGTERM to SIGKILL when stopping a training job (default 120)")
    String stopGraceSeconds;
    @Option(names = "--object-store-dir", paramLabel = "DIR", description = "default object store: s3://bucket/key is DIR/bucket/key (default <data-dir>/s3)")
    String objectStoreDir;
    @Option(names = "--images", paramLabel = "NAME=PROGRAM,...", description = "TrainingImage names mapped to local programs")
    String images;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings;
        try {
            settings = SettingsLoader.load(flags(), System.getenv());
        } catch (SettingsException e) {
            System.err.println("vernier server: " + e.getMessage());
            return 2;
        }
        AccessKeys keys = Vernier.accessKeys(settings);   // first, so that a newly generated key is announced
        VernierServer server = Vernier.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        String endpoint = "http://" + settings.bindAddress() + ":" + server.port();
        System.out.println("Vernier is listening on " + endpoint + " (data directory " + settings.dataDir() + ")");
        System.out.println(Vernier.credentialsHint(keys, settings, endpoint));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        put(flags, "config", config);
        put(flags, "bind-address", bindAddress);
        put(flags, "port", port);
        put(flags, "data-dir", dataDir);
        put(flags, "database", database);
        put(flags, "region", region);
        put(flags, "account-id", accountId);
        put(flags, "access-key-id", accessKeyId);
        put(flags, "secret-access-key", secretAccessKey);
        put(flags, "max-request-bytes", maxRequestBytes);
        put(flags, "max-concurrent-training-jobs", maxConcurrentTrainingJobs);
        put(flags, "training-log-cap-bytes", trainingLogCapBytes);
        put(flags, "stop-grace-seconds", stopGraceSeconds);
        put(flags, "object-store-dir", objectStoreDir);
        put(flags, "images", images);
        return flags;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) flags.put(key, value);
    }
}
