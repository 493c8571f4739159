package dev.vernier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The build refuses a JDK older than 21 at once, saying which JAVA_HOME to use, instead of failing
 * in the middle with "class file version 65.0". Runs Maven on the root pom alone (validate phase).
 */
class BuildJdkTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exitCode, String output) {}

    @Test
    void theRuleStopsTheBuildWithTheJdkToUseAndLetsThisJdkThrough() throws Exception {
        Run refused = maven(null, "-Dvernier.requiredJavaVersion=[99,)");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("Vernier builds and tests with a JDK 21 or later, and Maven runs on Java "
                + System.getProperty("java.version")).contains("JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B verify");

        Run accepted = maven(null);
        assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    }

    @Test
    void aJdkOlderThan21IsRefusedBeforeAnythingIsCompiled() throws Exception {
        Optional<Path> old = olderJdk();
        Assumptions.assumeTrue(old.isPresent(), "no JDK older than 21 under /usr/lib/jvm");
        Run refused = maven(old.get());
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("Vernier builds and tests with a JDK 21 or later, and Maven runs on Java 1")
                .contains("Point JAVA_HOME at a JDK 21+").doesNotContain("class file version");
    }

    private static Run maven(Path javaHome, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o", "-N", "-f", ROOT.resolve("pom.xml").toString(), "validate"));
        command.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", (javaHome != null ? javaHome : Path.of(System.getProperty("java.home"))).toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn validate did not finish in 120 s:\n" + output);
        }
        return new Run(p.exitValue(), output);
    }

    /** A JDK older than 21 under /usr/lib/jvm, by the JAVA_VERSION of its release file. */
    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(d.resolve("release")))
                    .filter(d -> {
                        try {
                            return Files.readAllLines(d.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                                    .map(l -> l.replaceAll("[^0-9.]", "").split("\\.")[0])
                                    .anyMatch(v -> v.equals("1") || (!v.isEmpty() && Integer.parseInt(v) < 21));
                        } catch (IOException e) {
                            return false;
                        }
                    }).sorted().findFirst();
        }
    }
}
