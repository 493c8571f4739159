package dev.vernier.server;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/**
 * The container engine of the tests that run containers: podman if it works here, else Docker if its
 * daemon answers. Without either such a test is skipped, except in CI (CI=true), where it fails.
 */
public final class TestContainerEngine {
    private static String engine;

    private TestContainerEngine() {}

    /** podman or docker. */
    public static synchronized String name() {
        if (engine == null) {
            for (String candidate : new String[] {"podman", "docker"})
                if (engine == null && exitOf(candidate, "version", "--format",
                        candidate.equals("podman") ? "{{.Client.Version}}" : "{{.Server.Version}}") == 0) engine = candidate;
            if (engine == null) {
                if ("true".equals(System.getenv("CI")))
                    throw new IllegalStateException("CI needs a container engine for this test (.ci/setup-podman.sh)");
                Assumptions.abort("neither podman nor docker works here");
            }
        }
        return engine;
    }

    /** The exit status of {@code command}, its output dropped, its errors shown; -1 when it cannot start. */
    public static int exitOf(String... command) {
        try {
            return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
