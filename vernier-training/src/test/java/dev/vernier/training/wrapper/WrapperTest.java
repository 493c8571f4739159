package dev.vernier.training.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.training.jobdir.JobDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrapperTest {
    @TempDir Path tmp;

    @Test
    void the_wrapper_records_its_pid_and_the_programs_exit_status_and_output_in_the_job_directory() throws Exception {
        var dir = new JobDirectory(tmp);
        Files.createDirectories(tmp.resolve(JobDirectory.STATE_DIR));
        List<String> command = Wrapper.command(List.of("sh", "-c", "echo \"args: $*; x=$SM_HP_X\"; exit 3", "program",
                "train"), Map.of("SM_HP_X", "1"));

        var builder = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.log().toFile())).redirectErrorStream(true);
        builder.environment().put("SM_HP_X", "1");
        Process p = builder.start();
        assertThat(p.waitFor()).isZero();

        assertThat(Wrapper.readPid(dir)).isEqualTo(p.pid());
        assertThat(Wrapper.readExit(dir).code()).isEqualTo(3);
        assertThat(Files.readString(dir.log())).isEqualTo("args: train; x=1\n");
    }

    @Test
    void a_job_whose_variable_names_are_not_shell_identifiers_gets_bash() {
        assertThat(Wrapper.command(List.of("p", "train"), Map.of("SM_HP_LR", "1")).getFirst()).isEqualTo("sh");
        if (Files.isExecutable(Path.of("/bin/bash")))
            assertThat(Wrapper.command(List.of("p", "train"), Map.of("SM_HP_LEARNING-RATE", "1")).getFirst())
                    .endsWith("bash");
    }

    @Test
    void nothing_recorded_reads_as_null() throws Exception {
        var dir = new JobDirectory(tmp);
        assertThat(Wrapper.readExit(dir)).isNull();
        assertThat(Wrapper.readPid(dir)).isNull();
        assertThat(Wrapper.exitRecorded(dir)).isFalse();
    }
}
