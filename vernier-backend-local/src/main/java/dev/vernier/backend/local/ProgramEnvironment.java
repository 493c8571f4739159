package dev.vernier.backend.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole environment of a training program: a few variables that make a process work (PATH,
 * the locale, the time zone, HOME, JAVA_HOME), those the operator names in the {@code local-pass-env}
 * setting, then SageMaker's contract and the definition's Environment, which win. Nothing else of
 * the server's environment reaches it: not its credentials ({@code VERNIER_SECRET_ACCESS_KEY}),
 * not its settings, not whatever its shell exported.
 */
final class ProgramEnvironment {
    /** Taken from the server's environment when set there (JAVA_HOME: the JDK that runs the server, for Java programs). */
    static final List<String> BASE = List.of("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC",
            "LC_MESSAGES", "TZ", "JAVA_HOME");
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProgramEnvironment() {}

    /**
     * @param server    the server's environment
     * @param passed    names the operator passes through
     * @param home      HOME for the program
     * @param contract  SageMaker's variables and the definition's Environment
     */
    static Map<String, String> of(Map<String, String> server, List<String> passed, String home,
                                  Map<String, String> contract) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : BASE) if (server.containsKey(name)) env.put(name, server.get(name));
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.put("HOME", home);
        for (String name : passed) if (server.containsKey(name)) env.put(name, server.get(name));
        env.putAll(contract);
        return env;
    }

    /**
     * The {@code local-pass-env} setting, {@code NAME,OTHER}, as a list.
     *
     * @throws IllegalArgumentException naming what is not a variable name
     */
    static List<String> parse(String setting) {
        List<String> names = new java.util.ArrayList<>();
        for (String part : setting.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            if (!NAME.matcher(name).matches())
                throw new IllegalArgumentException("local-pass-env must be environment variable names separated by "
                        + "commas, got '" + name + "'");
            names.add(name);
        }
        return List.copyOf(names);
    }
}
