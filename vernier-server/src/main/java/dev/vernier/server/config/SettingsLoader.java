package dev.vernier.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves settings from, lowest precedence first: built-in defaults, a settings file (Java
 * properties: {@code port=8080}), environment variables ({@code VERNIER_PORT}), and flags.
 * The settings file is {@code --config FILE} / {@code VERNIER_CONFIG}, else
 * {@code <data-dir>/vernier.properties} when it exists.
 */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static Settings load(Map<String, String> flags, Map<String, String> environment) {
        Map<String, String> fromEnvironment = new HashMap<>();
        for (Settings.Key key : Settings.KEYS) {
            String v = environment.get(key.environmentVariable());
            if (v != null && !v.isEmpty()) fromEnvironment.put(key.name(), v);
        }
        for (String flag : flags.keySet()) {
            if (!flag.equals("config") && Settings.KEYS.stream().noneMatch(k -> k.name().equals(flag)))
                throw new SettingsException("unknown setting '" + flag + "'");
        }
        Map<String, String> values = new HashMap<>(readFile(flags, environment, fromEnvironment));
        values.putAll(fromEnvironment);
        flags.forEach((k, v) -> {
            if (!k.equals("config") && v != null) values.put(k, v);
        });
        return Settings.fromValues(values);
    }

    private static Map<String, String> readFile(Map<String, String> flags, Map<String, String> environment,
                                                Map<String, String> fromEnvironment) {
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
            if (Settings.KEYS.stream().noneMatch(k -> k.name().equals(name)))
                throw new SettingsException("unknown setting '" + name + "' in " + file);
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
    }
}
