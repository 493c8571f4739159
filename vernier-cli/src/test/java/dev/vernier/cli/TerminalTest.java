package dev.vernier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void zeroColumnsIsNoAnswerAsAPtyWithNoSizeSetReportsIt() {
        assertThat(Terminal.columns("0")).isNull();
        assertThat(Terminal.columns("")).isNull();
        assertThat(Terminal.columns("wide")).isNull();
        assertThat(Terminal.columns(null)).isNull();
        assertThat(Terminal.columns("132")).isEqualTo(132);
        assertThat(Terminal.columns(" 40\n")).isEqualTo(40);
    }
}
