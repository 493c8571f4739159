package dev.vernier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.TrainingBackendFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubernetes backend is found on the server's class path, and its settings load and are checked like any other. */
class KubernetesBackendSettingsTest {
    @TempDir Path dir;

    private Map<String, String> flags(String... keysAndValues) {
        var flags = new HashMap<String, String>();
        flags.put("data-dir", dir.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) flags.put(keysAndValues[i], keysAndValues[i + 1]);
        return flags;
    }

    @Test
    void backend_kubernetes_is_available_with_its_settings_from_flags_and_the_environment() {
        assertThat(TrainingBackends.discovered().all()).extracting(TrainingBackendFactory::name).contains("kubernetes", "local");

        Settings settings = SettingsLoader.load(flags("backend", "kubernetes", "kubernetes-namespace", "ml"),
                Map.of("VERNIER_KUBERNETES_JOB_TTL_SECONDS", "60"));

        assertThat(settings.training().backend()).isEqualTo("kubernetes");
        assertThat(settings.training().backendSettings()).isEqualTo(Map.of("kubernetes-namespace", "ml",
                "kubernetes-instance-types", "", "kubernetes-job-ttl-seconds", "60"));
    }

    @Test
    void a_bad_kubernetes_setting_stops_the_server_before_it_starts() {
        assertThatThrownBy(() -> SettingsLoader.load(flags("backend", "kubernetes"),
                Map.of("VERNIER_KUBERNETES_INSTANCE_TYPES", "ml.m5.large=lots")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("kubernetes-instance-types");
    }
}
