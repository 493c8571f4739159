package dev.vernier.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
    @Test
    void the_programs_failure_text_is_the_reason_cut_to_1024_characters() {
        String reason = FailureReason.of("  ValueError: bad\n" + "x".repeat(3000), 2, List.of("ignored"));
        assertThat(reason).startsWith("ValueError: bad\nxxx").hasSize(1024);
    }

    @Test
    void without_failure_text_the_exit_code_and_as_many_of_the_last_ten_lines_as_fit() {
        List<String> lines = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList();

        assertThat(FailureReason.of(null, 3, lines)).isEqualTo("AlgorithmError: the training program exited with code 3. "
                + "Last log lines:\nline 21\nline 22\nline 23\nline 24\nline 25\nline 26\nline 27\nline 28\nline 29\nline 30");
        assertThat(FailureReason.of(" ", 137, List.of())).isEqualTo(
                "AlgorithmError: the training program exited with code 137 (killed by signal 9)");
        assertThat(FailureReason.of(null, null, List.of())).isEqualTo(
                "AlgorithmError: the training program ended without recording an exit code");
        String long1 = "a".repeat(600), long2 = "b".repeat(600);
        assertThat(FailureReason.of(null, 1, List.of(long1, long2))).endsWith("Last log lines:\n" + long2);
    }
}
