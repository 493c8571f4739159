package dev.vernier.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.cli.aws.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bundled example under {@code examples/<name>/}: a {@code train} program, its {@code data/}, and
 * {@code tuning-job.json}, whose paths are written {@code /ABSOLUTE/PATH/TO/examples/<name>} so that
 * a copy reads as a template; the demo puts the real location in their place.
 */
record ExampleProject(Path dir) {
    static final String DEFAULT = "wine";
    private static final String PLACEHOLDER = "/ABSOLUTE/PATH/TO/examples/";

    /** {@code explicit}, else {@code $VERNIER_HOME/examples/wine}, else the nearest {@code examples/wine} above the working directory. */
    static ExampleProject find(Path explicit) {
        if (explicit != null) return check(explicit.toAbsolutePath().normalize());
        String home = System.getenv("VERNIER_HOME");
        if (home != null && Files.isDirectory(Path.of(home, "examples", DEFAULT))) return check(Path.of(home, "examples", DEFAULT).toAbsolutePath());
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples").resolve(DEFAULT).resolve("tuning-job.json"))) {
                return check(p.resolve("examples").resolve(DEFAULT));
            }
        }
        throw new CliException(CliException.CONFIGURATION, "cannot find examples/" + DEFAULT
                + "; run the demo from the repository, or give --example DIR");
    }

    private static ExampleProject check(Path dir) {
        if (!Files.isRegularFile(dir.resolve("tuning-job.json")) || !Files.isRegularFile(dir.resolve("train"))) {
            throw new CliException(CliException.CONFIGURATION, dir + " has no tuning-job.json and train program");
        }
        return new ExampleProject(dir);
    }

    Path data() {
        return dir.resolve("data");
    }

    /**
     * Builds the example's container image with its {@code build-image.sh} (which prints the image's
     * name, and builds only what is missing), its progress on stderr; the image's name.
     */
    String buildImage() throws InterruptedException {
        Path script = dir.resolve("build-image.sh");
        if (!Files.isRegularFile(script))
            throw new CliException(CliException.CONFIGURATION, dir + " has no build-image.sh to make its container image");
        try {
            Process p = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty())
                throw new CliException(CliException.CONFIGURATION, script + " could not build the example's image (exit "
                        + p.exitValue() + "); the demo without --image needs no container engine");
            return out.lines().reduce((first, last) -> last).orElseThrow();
        } catch (IOException e) {
            throw new CliException(CliException.CONFIGURATION, "cannot run " + script + ": " + e.getMessage());
        }
    }

    /** The example's request with its placeholders replaced by this location. */
    ObjectNode request() {
        try {
            String text = Files.readString(dir.resolve("tuning-job.json"));
            text = text.replace(PLACEHOLDER + dir.getFileName(), dir.toString());
            return (ObjectNode) new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new CliException(CliException.CONFIGURATION, "cannot read " + dir.resolve("tuning-job.json") + ": " + e.getMessage());
        }
    }
}
