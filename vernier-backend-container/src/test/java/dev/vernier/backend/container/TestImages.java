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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The test images, built once per content (src/test/images/build-test-images.sh) on this
 * machine's engine: the testkit's programs and this module's, each an image whose entry point it is.
 * Without a working engine the tests are skipped, except in CI (CI=true), where they fail.
 */
final class TestImages {
    static final List<Path> PROGRAM_DIRS = List.of(Path.of("../vernier-testkit/src/main/resources/programs"),
            Path.of("src/test/resources/container-programs"));
    private static final Path SCRIPT = Path.of("src/test/images/build-test-images.sh");
    private static ContainerEngine engine;
    private static String problem;
    private static String tag;

    private TestImages() {}

    /** The engine the tests use, with the images built; skips (fails in CI) when there is none. */
    static synchronized ContainerEngine engine() {
        if (engine == null && problem == null) {
            try {
                ContainerEngine found = ContainerEngine.choose("auto");
                tag = "t" + contentHash();
                Process p = new ProcessBuilder(Stream.concat(Stream.of(SCRIPT.toString(), found.executable(), tag),
                        PROGRAM_DIRS.stream().map(Path::toString)).toList()).inheritIO().start();
                assertThat(p.waitFor()).as("build-test-images.sh").isZero();
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
                throw new IllegalStateException("CI needs a container engine for these tests (.ci/setup-podman.sh): " + problem);
            Assumptions.abort("no container engine: " + problem);
        }
        return engine;
    }

    /** The image whose entry point is the program {@code file} (e.g. {@code completes.sh}). */
    static String image(String file) {
        engine();
        return "localhost/vernier-test-" + file.replaceAll("\\.sh$", "").replace('_', '-') + ":" + tag;
    }

    /** An image with the programs in /opt/programs and no entry point. */
    static String base() {
        engine();
        return "localhost/vernier-test-base:" + tag;
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
