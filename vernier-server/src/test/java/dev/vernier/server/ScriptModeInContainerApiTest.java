package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SageMaker Python SDK's script-mode request of {@link ScriptModeApiTest}, unchanged but for the
 * image name (mapped with container-images), run by the container backend inside a Python image made
 * from this machine's own Python (tools/image-from-host.sh: no registry, no package index). The
 * script's output shows it ran as the container's first process in /opt/ml/code, where the
 * source directory was unpacked, with the hyperparameters as {@code --name value} arguments.
 */
class ScriptModeInContainerApiTest {
    private static final Path IMAGE_SCRIPT = Path.of("../tools/image-from-host.sh");

    @RegisterExtension
    static final SharedServer SHARED = new SharedServer(training -> new Settings.Training("container",
            training.maxConcurrentJobs(), training.logCapBytes(), training.stopGracePeriod(), training.objectStoreDir(),
            Map.of("container-engine", TestContainerEngine.name(), "container-images", "*/pytorch-training:*=" + pythonImage())));

    @Test
    void a_hyperparameter_tuner_request_for_a_framework_estimator_runs_unchanged_in_a_container() throws Exception {
        var best = ScriptModeApiTest.runTheSdkRequest(SHARED);

        String log = ScriptModeApiTest.log(SHARED, best);
        assertThat(log).contains("cwd=/opt/ml/code pid=1").contains("code=helper.py,train.py")
                .containsPattern("argv=--epochs 3 --lr [0-9.e-]+ --optimizer (sgd|adam)\n");
        assertThat(log).contains("--optimizer " + best.hyperParameters().get("optimizer").replace("\"", ""));
    }

    /** The Python image, built once per content of the script that makes it (seconds). */
    static String pythonImage() {
        try {
            String tag = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(IMAGE_SCRIPT)), 0, 5);
            String image = "localhost/vernier-test-python:" + tag;
            assertThat(TestContainerEngine.exitOf(IMAGE_SCRIPT.toString(), "--python", TestContainerEngine.name(), image)).as("image-from-host.sh").isZero();
            return image;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
