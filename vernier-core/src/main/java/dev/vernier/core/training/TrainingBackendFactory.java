package dev.vernier.core.training;

import dev.vernier.core.objectstore.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes the training backend that the server's {@code backend} setting names. Factories are found
 * with {@link java.util.ServiceLoader}: a backend module lists its factory in
 * {@code META-INF/services/dev.vernier.core.training.TrainingBackendFactory}, and a module on the
 * class path is a backend the server offers.
 */
public interface TrainingBackendFactory {
    /** The value of the server's {@code backend} setting that selects this backend, e.g. {@code local}. */
    String name();

    /** One line for {@code vernier server --help}: where this backend runs training jobs. */
    String description();

    /**
     * The settings this backend accepts besides the server's, each also a flag and a
     * {@code VERNIER_*} variable. Name new ones after the backend ({@code slurm-partition}); none
     * may have the name of a server setting.
     */
    List<SettingKey> settingKeys();

    /**
     * Checks this backend's settings when the server's are loaded, before anything starts.
     *
     * @param settings values of {@link #settingKeys()} as given, a key not given at its default
     * @throws IllegalArgumentException naming the setting and what is wrong with it
     */
    default void validate(Map<String, String> settings) {}

    /**
     * A backend ready to launch jobs, and to re-adopt the runs of an earlier server that had the
     * same settings and data directory (their handles are all it is given).
     */
    TrainingBackend create(Context context);

    /** A setting of a backend: its name (the settings-file key and flag), its default (null: none) and one line of help. */
    record SettingKey(String name, String defaultValue, String help) {
        private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

        public SettingKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(help, "help");
            if (!NAME.matcher(name).matches())
                throw new IllegalArgumentException("a setting name is lower-case words joined by '-': " + name);
        }
    }

    /**
     * What the server gives the backend it creates. The stop grace period and the log cap are
     * settings of the server because they are part of the training-job contract, which every
     * backend keeps.
     *
     * @param settings         values of the backend's own keys as given; see {@link #setting}
     * @param dataDir          the server's data directory; a backend keeps its files below it
     * @param objectStore      where channels are read from and artifacts are written to
     * @param clock            for launch times, timeouts and metric timestamps
     * @param stopGracePeriod  between SIGTERM and SIGKILL when a job is stopped or exceeds its MaxRuntimeInSeconds
     * @param logCapBytes      how much of each job's output its log keeps as written (and then its end)
     */
    record Context(Map<String, String> settings, Path dataDir, ObjectStore objectStore, Clock clock,
                   Duration stopGracePeriod, long logCapBytes) {
        public Context {
            settings = Map.copyOf(settings);
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(objectStore, "objectStore");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        }

        /** The value of {@code key}: as given, else its default (null when it has none). */
        public String setting(SettingKey key) {
            return settings.getOrDefault(key.name(), key.defaultValue());
        }

        public Context withSettings(Map<String, String> values) {
            return new Context(values, dataDir, objectStore, clock, stopGracePeriod, logCapBytes);
        }
    }
}
