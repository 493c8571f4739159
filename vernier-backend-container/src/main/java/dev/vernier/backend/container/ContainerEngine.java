package dev.vernier.backend.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container engine's command-line client, podman or Docker: both take the same {@code run}
 * options for what Vernier needs. Only checks and clean-up run it from the server; a job's
 * {@code run} runs under the job's wrapper.
 *
 * @param executable the client, a name on the PATH or an absolute path
 * @param podman     whether it is podman (which can replace a container of the same name in the same call)
 */
record ContainerEngine(String executable, boolean podman) {
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * The engine the {@code container-engine} setting names: {@code auto} (podman if it runs, else
     * Docker if its daemon answers), {@code podman}, {@code docker}, or the path of either client.
     *
     * @throws IllegalArgumentException when it is not there or does not work
     */
    static ContainerEngine choose(String setting) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.strip();
        if (s.equals("auto")) {
            String podmanProblem = problem(new ContainerEngine("podman", true));
            if (podmanProblem == null) return new ContainerEngine("podman", true);
            String dockerProblem = problem(new ContainerEngine("docker", false));
            if (dockerProblem == null) return new ContainerEngine("docker", false);
            throw new IllegalArgumentException("container-engine auto: neither podman nor docker works here (podman: "
                    + podmanProblem + "; docker: " + dockerProblem + ")");
        }
        String name = s.substring(s.lastIndexOf('/') + 1);
        if (!name.equals("podman") && !name.equals("docker"))
            throw new IllegalArgumentException("container-engine must be auto, podman, docker or the path of one of them, got '"
                    + s + "'");
        ContainerEngine engine = new ContainerEngine(s, name.equals("podman"));
        String problem = problem(engine);
        if (problem != null) throw new IllegalArgumentException("container-engine " + s + " does not work here: " + problem);
        return engine;
    }

    /** Null when the engine answers, else why not. Docker's client alone is not enough: its daemon must answer. */
    private static String problem(ContainerEngine engine) {
        Result r = engine.run(engine.podman ? List.of("version", "--format", "{{.Client.Version}}")
                : List.of("version", "--format", "{{.Server.Version}}"));
        return r.exit == 0 ? null : r.output.isBlank() ? "exit " + r.exit : r.output.strip().lines().findFirst().orElse("");
    }

    /** The client's name for messages: podman or docker. */
    String name() {
        return podman ? "podman" : "docker";
    }

    boolean imageExists(String image) {
        return run(podman ? List.of("image", "exists", image) : List.of("image", "inspect", "--format", "x", image)).exit == 0;
    }

    /** When the container's main process started (State.StartedAt); empty when it has not started or is not there. */
    Optional<Instant> startedAt(String container) {
        Result r = run(List.of("inspect", "--type", "container", "--format",
                podman ? "{{.State.StartedAt.UnixNano}}" : "{{.State.StartedAt}}", container));
        String out = r.output.strip();
        if (r.exit != 0 || out.isEmpty()) return Optional.empty();
        try {
            Instant started = podman ? Instant.EPOCH.plusNanos(Long.parseLong(out)) : Instant.parse(out);
            return started.isAfter(Instant.EPOCH) ? Optional.of(started) : Optional.empty();   // Go's zero time: not started
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Removes the container (killing it first) if it exists; whatever the engine answers. */
    void remove(String container) {
        run(podman ? List.of("rm", "--force", "--time", "0", "--ignore", container) : List.of("rm", "--force", container));
    }

    /** Runs the client with {@code args}: its exit status and its output (stdout and stderr together). */
    Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    record Result(int exit, String output) {}
}
