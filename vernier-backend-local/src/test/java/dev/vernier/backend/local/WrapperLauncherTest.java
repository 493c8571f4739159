package dev.vernier.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WrapperLauncherTest {
    @TempDir Path tmp;

    static Stream<WrapperLauncher> launchers() {
        return Stream.of(WrapperLauncher.forThisJvm(), new ProcessBuilderLauncher());
    }

    @Test
    void on_java_22_and_later_wrappers_start_through_posix_spawn() {
        if (Runtime.version().feature() >= 22)
            assertThat(WrapperLauncher.forThisJvm()).isInstanceOf(PosixSpawnLauncher.class);
        else
            assertThat(WrapperLauncher.forThisJvm()).isInstanceOf(ProcessBuilderLauncher.class);
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void a_wrapper_leads_its_own_session_in_its_directory_with_only_stdin_stdout_and_stderr(WrapperLauncher launcher)
            throws Exception {
        Path log = tmp.resolve("out.log");
        Files.writeString(log, "before\n");
        // Reports: its pid, session and group (/proc/self/stat fields 6 and 7 are after "(comm)"),
        // working directory, open descriptors, what stdin holds, and a variable of the job's.
        String script = "read -r line; echo \"stdin=[$line]\"; echo pid=$$;"
                + " set -- $(sed 's/.*) //' /proc/$$/stat); echo sid=$4 pgid=$3; echo cwd=$(pwd);"
                + " echo \"job=$JOB_VARIABLE\"; echo err >&2; exec sleep 30";
        try (ServerSocket listening = new ServerSocket(0)) {   // a descriptor the server has open
            WrapperLauncher.Started started = launcher.start(List.of("sh", "-c", script), tmp, log,
                    Map.of("JOB_VARIABLE", "value with spaces"));
            long pid = started.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(log).contains("err\n") && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(50);   // from "err" to the exec of sleep

            String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
            assertThat(fds).as("descriptors of the running wrapper").containsExactlyInAnyOrder("0", "1", "2");
            assertThat(started.exited()).isNotDone();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            started.exited().get(10, TimeUnit.SECONDS);
            assertThat(Files.readString(log)).startsWith("before\n")
                    .contains("stdin=[]", "pid=" + pid, "sid=" + pid + " pgid=" + pid, "cwd=" + tmp.toRealPath(),
                            "job=value with spaces", "err\n");
            assertThat(ProcessHandle.of(pid)).as("reaped").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void a_wrapper_that_cannot_start_is_an_IOException_naming_its_directory(WrapperLauncher launcher) {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> launcher.start(List.of("sh", "-c", "true"), missing, tmp.resolve("log"), Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void a_NUL_in_the_environment_is_refused_rather_than_cut(WrapperLauncher launcher) {
        assertThatThrownBy(() -> launcher.start(List.of("sh", "-c", "true"), tmp, tmp.resolve("log"),
                Map.of("SM_HP_X", "before\0after"))).isInstanceOf(IllegalArgumentException.class);
    }
}
