package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How `vernier server` starts, or refuses to: a taken port, a data directory in use, private files. */
class StartUpTest {
    @TempDir
    Path dir;

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStartAndNamesTheHolder() {
        Path data = dir.resolve("data");
        try (ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"))) {
            assertThatThrownBy(() -> ServerProcess.start(data, dir.resolve("second.log")))
                    .hasMessageContaining("the data directory " + data + " is in use by another Vernier server (process "
                            + first.pid());
            assertThat(first.client().listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();
        }
    }

    @Test
    void aSecondServerInTheSameProcessIsRefusedAndTheFirstKeepsItsLock() {
        Path data = dir.resolve("data");
        try (TestServer first = TestServer.start(data)) {
            assertThatThrownBy(() -> TestServer.start(data)).isInstanceOf(DataDirectory.InUseException.class)
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> ServerProcess.start(data, dir.resolve("other.log")))
                    .hasMessageContaining("in use by another Vernier server (process " + ProcessHandle.current().pid());
            assertThat(first.client().listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();
        }
        try (TestServer again = TestServer.start(data)) {
            assertThat(again.client().listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();
        }
    }

    @Test
    void aServerStartsAgainOnceTheOneBeforeItWasKilled() throws Exception {
        Path data = dir.resolve("data");
        ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"));
        first.kill();
        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"))) {
            assertThat(second.client().listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();
        }
    }

    @Test
    void aTakenPortSuggestsPortZeroAndCreatesNothing() throws Exception {
        Path data = dir.resolve("never-created");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = run("server", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", data.toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .contains("--port 0");
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void aCustomPortOrDataDirectoryPrintsTheLineThatLetsCommandsFindTheServer() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"))) {
            String line = "export VERNIER_ENDPOINT_URL=http://127.0.0.1:" + server.endpoint().getPort();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(dir.resolve("server.log")).contains(line) && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertThat(Files.readString(dir.resolve("server.log"))).contains(line);
        }
    }

    @Test
    void theDataDirectoryAndEveryFileOfTheServerArePrivate() throws Exception {
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(data)) {
            server.client().listHyperParameterTuningJobs(r -> {});
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            List<Path> files = new ArrayList<>();
            try (var list = Files.list(data)) {
                list.filter(Files::isRegularFile).forEach(files::add);
            }
            assertThat(files).extracting(f -> f.getFileName().toString())
                    .contains("vernier.db", "vernier.lock");
            for (Path f : files)
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingDataDirectoryOfVernierIsMadePrivate() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(data.resolve("vernier.db"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        try (TestServer server = TestServer.start(data)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("vernier.db"))))
                    .isEqualTo("rw-------");
        }
    }

    record Result(int exitCode, String output) {}

    /** `vernier ARGS` in a process of its own, to its end. */
    private Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.vernier.server.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
