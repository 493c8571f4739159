package dev.vernier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    /** A second backend beside the real local one, as another module would add it. */
    static class QueueBackend implements TrainingBackendFactory {
        @Override public String name() { return "queue"; }
        @Override public String description() { return "jobs sent to a queue"; }
        @Override public List<SettingKey> settingKeys() {
            return List.of(new SettingKey("queue-name", "default", "the queue"), new SettingKey("queue-host", null, "its host"));
        }
        @Override public TrainingBackend create(Context context) { throw new UnsupportedOperationException(); }
    }

    private static final TrainingBackends BACKENDS = new TrainingBackends(List.of(
            TrainingBackends.discovered().named("local"), new QueueBackend()));

    @TempDir Path dir;

    private Map<String, String> flags(String... keysAndValues) {
        var flags = new java.util.HashMap<String, String>();
        flags.put("data-dir", dir.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) flags.put(keysAndValues[i], keysAndValues[i + 1]);
        return flags;
    }

    @Test
    void the_local_backend_is_found_on_the_class_path_and_is_the_default() {
        Settings settings = SettingsLoader.load(flags(), Map.of());

        assertThat(settings.training().backend()).isEqualTo("local");
        assertThat(settings.training().backendSettings())
                .isEqualTo(Map.of("images", "", "local-run-as", "nobody", "local-pass-env", ""));
        assertThat(TrainingBackends.discovered().all()).extracting(TrainingBackendFactory::name).contains("local");
    }

    @Test
    void a_backends_settings_come_from_the_file_the_environment_and_flags_with_the_usual_precedence() throws Exception {
        Files.writeString(dir.resolve("vernier.properties"), "images=a=/from/file\nbackend=queue\nqueue-host=file-host\n");

        Settings fromFile = SettingsLoader.load(flags(), Map.of(), BACKENDS);
        Settings fromEnvironment = SettingsLoader.load(flags(), Map.of("VERNIER_QUEUE_HOST", "env-host"), BACKENDS);
        Settings fromFlag = SettingsLoader.load(flags("queue-host", "flag-host"), Map.of("VERNIER_QUEUE_HOST", "env-host"),
                BACKENDS);

        assertThat(fromFile.training().backend()).isEqualTo("queue");
        // Only the chosen backend's keys, with defaults; images (the local backend's) is accepted and unused.
        assertThat(fromFile.training().backendSettings()).isEqualTo(Map.of("queue-name", "default", "queue-host", "file-host"));
        assertThat(fromEnvironment.training().backendSettings()).containsEntry("queue-host", "env-host");
        assertThat(fromFlag.training().backendSettings()).containsEntry("queue-host", "flag-host");
        assertThat(SettingsLoader.load(flags("backend", "local"), Map.of(), BACKENDS).training().backendSettings())
                .isEqualTo(Map.of("images", "a=/from/file", "local-run-as", "nobody", "local-pass-env", ""));
    }

    @Test
    void an_unknown_backend_is_a_settings_error_that_lists_the_available_ones() {
        assertThatThrownBy(() -> SettingsLoader.load(flags(), Map.of("VERNIER_BACKEND", "slurm"), BACKENDS))
                .isInstanceOf(SettingsException.class)
                .hasMessage("backend 'slurm' is not available; the training backends of this server are: local, queue");
    }

    @Test
    void keys_that_no_backend_and_not_the_server_has_are_refused_as_before() throws Exception {
        assertThatThrownBy(() -> SettingsLoader.load(flags("queue-size", "3"), Map.of(), BACKENDS))
                .isInstanceOf(SettingsException.class).hasMessage("unknown setting 'queue-size'");
        Path file = Files.writeString(dir.resolve("other.properties"), "imagez=x=/y\n");
        assertThatThrownBy(() -> SettingsLoader.load(flags("config", file.toString()), Map.of(), BACKENDS))
                .isInstanceOf(SettingsException.class).hasMessage("unknown setting 'imagez' in " + file);
    }

    @Test
    void the_chosen_backend_checks_its_settings_when_they_are_loaded() {
        assertThatThrownBy(() -> SettingsLoader.load(flags("images", "nopath"), Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessage("images must be name=/path pairs separated by commas, got 'nopath'");
        assertThatThrownBy(() -> SettingsLoader.load(flags(), Map.of("VERNIER_IMAGES", "x=relative/program")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("images: the program for x must be an absolute path");
    }

    @Test
    void a_backend_may_not_take_a_server_settings_name() {
        TrainingBackendFactory clash = new QueueBackend() {
            @Override public List<SettingKey> settingKeys() {
                return List.of(new SettingKey("port", "1", "its port"));
            }
        };
        assertThatThrownBy(() -> new TrainingBackends(List.of(clash)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'port'");
    }
}
