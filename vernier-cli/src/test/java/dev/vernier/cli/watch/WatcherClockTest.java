package dev.vernier.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class WatcherClockTest {
    @Test
    void plainLinesShowSecondsEvenOnTheMinute() {
        assertThat(Watcher.clock(LocalTime.of(1, 13, 0))).isEqualTo("01:13:00");
        assertThat(Watcher.clock(LocalTime.of(23, 5, 7, 999_000_000))).isEqualTo("23:05:07");
    }
}
