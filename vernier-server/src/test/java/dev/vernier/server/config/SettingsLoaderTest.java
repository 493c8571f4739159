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
        assertThat(settings.training().backendSettings()).containsEntry("images", "")
                .containsEntry("script-images", "*pytorch*=python3,*sklearn*=python3,*scikit-learn*=python3,"
                        + "*tensorflow*=python3,*xgboost*=python3,*mxnet*=python3,*huggingface*=python3,*chainer*=python3")
                .containsEntry("local-run-as", "nobody").containsEntry("local-pass-env", "")
                .hasSize(4);
        assertThat(TrainingBackends.discovered().all()).extracting(TrainingBackendFactory::name).contains("local", "container");
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
                .containsEntry("images", "a=/from/file").containsKey("script-images")
                .containsEntry("local-run-as", "nobody").containsEntry("local-pass-env", "").hasSize(4);
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

    @Test
    void a_non_loopback_address_without_file_roots_is_refused_unless_told_any_path_is_fine() {
        assertThatThrownBy(() -> SettingsLoader.load(flags("bind-address", "0.0.0.0"), Map.of(), BACKENDS))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("bind-address 0.0.0.0 is not a loopback address").hasMessageContaining("file-roots");
        assertThat(SettingsLoader.load(flags("bind-address", "0.0.0.0", "file-roots", "any"), Map.of(), BACKENDS)
                .network().fileRoots()).isEmpty();
        assertThat(SettingsLoader.load(flags("bind-address", "0.0.0.0", "file-roots", "/srv/data, /srv/programs"), Map.of(),
                BACKENDS).network().fileRoots()).contains(List.of(Path.of("/srv/data"), Path.of("/srv/programs")));
        assertThat(SettingsLoader.load(flags("bind-address", "127.0.0.1"), Map.of(), BACKENDS).network().fileRoots()).isEmpty();
        assertThatThrownBy(() -> SettingsLoader.load(flags("file-roots", "relative/dir"), Map.of(), BACKENDS))
                .hasMessageContaining("file-roots must be absolute paths");
    }

    @Test
    void tls_needs_both_a_certificate_and_a_key() {
        assertThatThrownBy(() -> SettingsLoader.load(flags("tls-certificate", "/etc/cert.pem"), Map.of(), BACKENDS))
                .hasMessageContaining("tls-certificate and tls-private-key must be set together");
    }

    @Test
    void the_directory_store_is_served_over_s3_on_the_next_port_unless_turned_off_or_an_endpoint_is_set() {
        assertThat(SettingsLoader.load(flags("port", "9000"), Map.of()).objectStorage().servePort()).hasValue(9001);
        assertThat(SettingsLoader.load(flags("port", "0"), Map.of()).objectStorage().servePort()).hasValue(0);
        assertThat(SettingsLoader.load(flags("s3-port", "7000"), Map.of()).objectStorage().servePort()).hasValue(7000);
        assertThat(SettingsLoader.load(flags(), Map.of("VERNIER_S3_PORT", "off")).objectStorage().servePort()).isEmpty();

        Settings.ObjectStorage s3 = SettingsLoader.load(flags("s3-endpoint", "http://127.0.0.1:9000", "s3-path-style",
                "false", "s3-access-key-id", "minio", "s3-secret-access-key", "minio123"), Map.of()).objectStorage();
        assertThat(s3.endpoint()).hasValue(java.net.URI.create("http://127.0.0.1:9000"));
        assertThat(s3.servePort()).isEmpty();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.accessKeyId()).hasValue("minio");
    }

    @Test
    void bad_s3_settings_are_refused_naming_the_key() {
        assertThatThrownBy(() -> SettingsLoader.load(flags("s3-endpoint", "ftp://x"), Map.of()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("s3-endpoint");
        assertThatThrownBy(() -> SettingsLoader.load(flags("s3-port", "many"), Map.of()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("s3-port");
        assertThatThrownBy(() -> SettingsLoader.load(flags("s3-path-style", "yes"), Map.of()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("s3-path-style");
        assertThatThrownBy(() -> SettingsLoader.load(flags("s3-access-key-id", "only-the-id"), Map.of()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("s3-secret-access-key");
    }
}
