package dev.vernier.cli.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An AWS shared credentials or config file: {@code [section]} headers and {@code key = value} lines. */
final class IniFile {
    private final Map<String, Map<String, String>> sections;

    private IniFile(Map<String, Map<String, String>> sections) {
        this.sections = sections;
    }

    static IniFile read(Path file) {
        Map<String, Map<String, String>> sections = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) return new IniFile(sections);
        try {
            Map<String, String> current = null;
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new HashMap<>());
                } else if (current != null && line.contains("=")) {
                    int eq = line.indexOf('=');
                    current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new CliException(CliException.CONFIGURATION, "Unable to read " + file + ": " + e.getMessage());
        }
        return new IniFile(sections);
    }

    /** The section's keys, or null when there is no such section. */
    Map<String, String> section(String name) {
        return sections.get(name);
    }
}
