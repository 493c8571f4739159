package dev.vernier.server.config;

import dev.vernier.core.training.TrainingBackendFactory.SettingKey;
import dev.vernier.core.training.TrainingBackendFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The training backends this server can run, by name: every {@link TrainingBackendFactory} on the
 * class path ({@code META-INF/services}). Their setting keys are the server's too.
 */
public final class TrainingBackends {
    private final List<TrainingBackendFactory> factories;

    /** @throws IllegalStateException when two have one name or a backend's key is a server key (a packaging error) */
    public TrainingBackends(List<TrainingBackendFactory> factories) {
        this.factories = factories.stream().sorted(Comparator.comparing(TrainingBackendFactory::name)).toList();
        Map<String, String> owners = new LinkedHashMap<>();
        Settings.KEYS.forEach(k -> owners.put(k.name(), "the server"));
        for (TrainingBackendFactory f : this.factories) {
            if (this.factories.stream().filter(g -> g.name().equals(f.name())).count() > 1)
                throw new IllegalStateException("two training backends are named '" + f.name() + "'");
            for (SettingKey k : f.settingKeys()) {
                String owner = owners.putIfAbsent(k.name(), "backend " + f.name());
                if (owner != null)
                    throw new IllegalStateException("backend " + f.name() + "'s setting '" + k.name() + "' is also "
                            + owner + "'s");
            }
        }
    }

    /** The backends on the class path. */
    public static TrainingBackends discovered() {
        return Discovered.BACKENDS;
    }

    public List<TrainingBackendFactory> all() {
        return factories;
    }

    /** @throws SettingsException naming the backends there are, when none is called {@code name} */
    public TrainingBackendFactory named(String name) {
        return factories.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() ->
                new SettingsException("backend '" + name + "' is not available; the training backends of this server are: "
                        + (factories.isEmpty() ? "(none)" : factories.stream().map(TrainingBackendFactory::name)
                        .collect(Collectors.joining(", ")))));
    }

    /** The server's keys, then every backend's, as the loader accepts them. */
    public List<Settings.Key> keys() {
        List<Settings.Key> keys = new ArrayList<>(Settings.KEYS);
        for (TrainingBackendFactory f : factories)
            for (SettingKey k : f.settingKeys()) keys.add(new Settings.Key(k.name(), k.defaultValue(), k.help()));
        return keys;
    }

    /**
     * The values of backend {@code name}'s keys among {@code values} (defaults for those not given),
     * checked by the backend.
     *
     * @throws SettingsException when there is no such backend or it refuses a value
     */
    Map<String, String> settingsOf(String name, Map<String, String> values) {
        TrainingBackendFactory factory = named(name);
        Map<String, String> own = new LinkedHashMap<>();
        for (SettingKey k : factory.settingKeys()) {
            String v = values.getOrDefault(k.name(), k.defaultValue());
            if (v != null) own.put(k.name(), v);
        }
        try {
            factory.validate(own);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage());
        }
        return own;
    }

    private static final class Discovered {
        static final TrainingBackends BACKENDS = new TrainingBackends(ServiceLoader.load(TrainingBackendFactory.class,
                TrainingBackends.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
    }
}
