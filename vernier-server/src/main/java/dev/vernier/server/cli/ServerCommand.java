package dev.vernier.server.cli;

import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.protocol.http.ApiServer;
import dev.vernier.server.DataDirectory;
import dev.vernier.server.Vernier;
import dev.vernier.server.VernierServer;
import dev.vernier.server.config.Settings;
import dev.vernier.server.config.SettingsException;
import dev.vernier.server.config.SettingsLoader;
import dev.vernier.server.config.TrainingBackends;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code vernier server}: runs the API server until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Runs the Vernier server (SageMaker's hyperparameter-tuning API over AWS JSON 1.1).",
        footer = {"", "Settings come from defaults < settings file < VERNIER_* environment variables < flags.",
                "Example:", "  vernier server --port 0 --data-dir /tmp/vernier"})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (Java properties); default <data-dir>/vernier.properties if present")
    String config;
    @CommandLine.Spec
    CommandSpec spec;

    /** The setting keys that are options of this command. */
    private final Set<String> settingKeys = new LinkedHashSet<>();

    private ServerCommand() {}

    /**
     * The command with a flag for every setting: the server's, then each training backend's
     * under a heading of its own.
     */
    static CommandLine commandLine(TrainingBackends backends) {
        ServerCommand command = new ServerCommand();
        CommandLine line = new CommandLine(command);
        CommandSpec spec = line.getCommandSpec();
        String available = backends.all().stream().map(f -> f.name() + " (" + f.description() + ")")
                .collect(Collectors.joining(", "));
        for (Settings.Key key : Settings.KEYS)
            spec.addOption(command.option(key, key.name().equals("backend") ? "; one of: " + available : ""));
        for (TrainingBackendFactory backend : backends.all()) {
            if (backend.settingKeys().isEmpty()) continue;
            ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
                    .heading("%n" + escape("Settings of the training backend " + backend.name() + " (with --backend "
                            + backend.name() + "):") + "%n");
            for (TrainingBackendFactory.SettingKey key : backend.settingKeys())
                group.addArg(command.option(new Settings.Key(key.name(), key.defaultValue(), key.help()), ""));
            spec.addArgGroup(group.build());
        }
        return line;
    }

    private OptionSpec option(Settings.Key key, String more) {
        settingKeys.add(key.name());
        String defaultValue = key.defaultValue() == null || key.defaultValue().isEmpty() ? ""
                : " (default " + key.defaultValue() + ")";
        return OptionSpec.builder("--" + key.name()).type(String.class)
                .paramLabel(key.name().substring(key.name().lastIndexOf('-') + 1).toUpperCase(Locale.ROOT))
                .description(escape(key.help() + more + defaultValue)).build();
    }

    /** Help texts are format strings to picocli. */
    private static String escape(String text) {
        return text.replace("%", "%%");
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings;
        try {
            settings = SettingsLoader.load(flags(), System.getenv());
        } catch (SettingsException e) {
            System.err.println("vernier server: " + e.getMessage());
            return 2;
        }
        VernierServer server;
        try {
            server = Vernier.start(settings);
        } catch (ApiServer.BindFailure e) {
            System.err.println("vernier server: " + (settings.port() == 0 ? e.getMessage() : "port " + settings.port()
                    + " on " + settings.bindAddress() + " is already in use (another Vernier server?). Start with"
                    + " --port 0 to take any free port (the server prints the one it bound), or give another --port."));
            return 1;
        } catch (DataDirectory.InUseException e) {
            System.err.println("vernier server: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {   // e.g. a TLS certificate or key that cannot be used
            System.err.println("vernier server: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        String endpoint = server.scheme() + "://" + settings.bindAddress() + ":" + server.port();
        System.out.println("Vernier is listening on " + endpoint + " (data directory " + settings.dataDir() + ")");
        if (server.scheme().equals("http") && !Settings.isLoopback(settings.bindAddress()))
            System.out.println("Warning: plain HTTP on a non-loopback address: signatures keep requests from being"
                    + " forged, but anyone on the path can read them. Give tls-certificate and tls-private-key.");
        System.out.println(Vernier.credentialsHint(server.keys(), settings, endpoint));
        server.s3Endpoint().ifPresent(s3 -> System.out.println("The object store (" + settings.training().objectStoreDir()
                + ") is served over S3 at " + s3 + ", with the same keys:\n  AWS_REQUEST_CHECKSUM_CALCULATION=when_required "
                + "aws s3 cp data.csv s3://my-bucket/train/ --endpoint-url " + s3));
        System.out.println("Dashboard (one-time sign-in link): " + endpoint + server.dashboardSignInPath());
        findMeHint(settings, server, endpoint).ifPresent(System.out::println);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /**
     * With a port or data directory other than the defaults, {@code ./vernier} commands in another shell need to
     * be told where the server is: the line that tells them.
     */
    static java.util.Optional<String> findMeHint(Settings settings, VernierServer server, String endpoint) {
        boolean defaultPort = server.port() == 8080 && server.scheme().equals("http");
        boolean defaultDir = settings.dataDir().equals(java.nio.file.Path.of(".vernier").toAbsolutePath().normalize());
        if (defaultPort && defaultDir) return java.util.Optional.empty();
        String dir = server.keys().credentialsFile().isPresent()
                ? " VERNIER_DATA_DIR=" + shellQuote(settings.dataDir().toString()) : "";
        return java.util.Optional.of("For ./vernier commands in another shell:\n  export VERNIER_ENDPOINT_URL="
                + endpoint + dir);
    }

    private static String shellQuote(String text) {
        return text.matches("[A-Za-z0-9_./:@%+=-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        if (config != null) flags.put("config", config);
        for (String key : settingKeys) {
            Object value = spec.findOption("--" + key).getValue();
            if (value != null) flags.put(key, value.toString());
        }
        return flags;
    }
}
