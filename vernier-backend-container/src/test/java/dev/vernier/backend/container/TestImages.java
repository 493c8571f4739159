package dev.vernier.backend.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The test images, built once per content (src/test/images/build-test-images.sh) on an engine: the
 * testkit's programs and this module's, each an image whose entry point it is. Without a working
 * engine the tests are skipped, except in CI (CI=true), where they fail: CI sets up podman
 * (.ci/setup-podman.sh) and Docker (.ci/setup-docker.sh).
 */
final class TestImages {
    static final List<Path> PROGRAM_DIRS = List.of(Path.of("../vernier-testkit/src/main/resources/programs"),
            Path.of("src/test/resources/container-programs"));
    private static final Path SCRIPT = Path.of("src/test/images/build-test-images.sh");
    private static final Map<String, TestImages> BY_SETTING = new ConcurrentHashMap<>();

    /** The container-engine setting these images are for: auto, podman or docker. */
    private final String setting;
    private ContainerEngine engine;
    private String problem;
    private String tag;

    private TestImages(String setting) {
        this.setting = setting;
    }

    /** The images on the engine the {@code container-engine} setting {@code setting} chooses. */
    static TestImages on(String setting) {
        return BY_SETTING.computeIfAbsent(setting, TestImages::new);
    }

    /** The engine the tests use by default (auto: podman if it works), with the images built. */
    static ContainerEngine engine() {
        return on("auto").engineWithImages();
    }

    /** The image whose entry point is the program {@code file} (e.g. {@code completes.sh}), on the default engine. */
    static String image(String file) {
        return on("auto").imageOf(file);
    }

    /** The engine, with the images built; skips (fails in CI) when it does not work here. */
    synchronized ContainerEngine engineWithImages() {
        if (engine == null && problem == null) {
            try {
                ContainerEngine found = ContainerEngine.choose(setting);
                tag = "t" + contentHash();
                Process p = new ProcessBuilder(Stream.concat(Stream.of(SCRIPT.toString(), found.executable(), tag),
                        PROGRAM_DIRS.stream().map(Path::toString)).toList()).inheritIO().start();
                assertThat(p.waitFor()).as("build-test-images.sh on " + found.name()).isZero();
                engine = found;
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (engine == null) {
            if ("true".equals(System.getenv("CI")))
                throw new IllegalStateException("CI needs container engine " + setting + " for these tests "
                        + "(.ci/setup-podman.sh, .ci/setup-docker.sh): " + problem);
            Assumptions.abort("no container engine (" + setting + "): " + problem);
        }
        return engine;
    }

    /** The image whose entry point is the program {@code file}. */
    String imageOf(String file) {
        engineWithImages();
        return "localhost/vernier-test-" + file.replaceAll("\\.sh$", "").replace('_', '-') + ":" + tag;
    }

    private static String contentHash() throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(SCRIPT));
            for (Path dir : PROGRAM_DIRS)
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.sorted().toList()) {
                        digest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                        digest.update(Files.readAllBytes(f));
                    }
                }
            return HexFormat.of().formatHex(digest.digest(), 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
