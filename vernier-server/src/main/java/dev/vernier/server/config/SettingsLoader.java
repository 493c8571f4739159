package dev.vernier.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves settings from, lowest precedence first: built-in defaults, a settings file (Java
 * properties: {@code port=8080}), environment variables ({@code VERNIER_PORT}), and flags.
 * The settings file is {@code --config FILE} / {@code VERNIER_CONFIG}, else
 * {@code <data-dir>/vernier.properties} when it exists. The keys are the server's and those of
 * every training backend on the class path; only the chosen backend's are used.
 */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static Settings load(Map<String, String> flags, Map<String, String> environment) {
        return load(flags, environment, TrainingBackends.discovered());
    }

    public static Settings load(Map<String, String> flags, Map<String, String> environment, TrainingBackends backends) {
        List<Settings.Key> keys = backends.keys();
        Map<String, String> fromEnvironment = new HashMap<>();
        for (Settings.Key key : keys) {
            String v = environment.get(key.environmentVariable());
            if (v != null && !v.isEmpty()) fromEnvironment.put(key.name(), v);
        }
        for (String flag : flags.keySet()) {
            if (!flag.equals("config") && !known(keys, flag)) throw new SettingsException("unknown setting '" + flag + "'");
        }
        Map<String, String> values = new HashMap<>(readFile(flags, environment, fromEnvironment, keys));
        values.putAll(fromEnvironment);
        flags.forEach((k, v) -> {
            if (!k.equals("config") && v != null) values.put(k, v);
        });
        return Settings.fromValues(values, backends);
    }

    private static boolean known(List<Settings.Key> keys, String name) {
        return keys.stream().anyMatch(k -> k.name().equals(name));
    }

    private static Map<String, String> readFile(Map<String, String> flags, Map<String, String> environment,
                                                Map<String, String> fromEnvironment, List<Settings.Key> keys) {
        String explicit = flags.getOrDefault("config", environment.get("VERNIER_CONFIG"));
        Path file;
        if (explicit != null) {
            file = Path.of(explicit);
            if (!Files.isRegularFile(file)) throw new SettingsException("settings file " + file + " does not exist");
        } else {
            String dataDir = flags.getOrDefault("data-dir", fromEnvironment.getOrDefault("data-dir",
                    Settings.KEYS.stream().filter(k -> k.name().equals("data-dir")).findFirst().orElseThrow().defaultValue()));
            file = Path.of(dataDir, "vernier.properties");
            if (!Files.isRegularFile(file)) return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new SettingsException("cannot read settings file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!known(keys, name)) throw new SettingsException("unknown setting '" + name + "' in " + file);
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
    }
}
