package dev.vernier.training.run;

import static dev.vernier.training.run.StopDeadlines.Due.KILL;
import static dev.vernier.training.run.StopDeadlines.Due.NOTHING;
import static dev.vernier.training.run.StopDeadlines.Due.STOP_FOR_MAX_RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.StopCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopDeadlinesTest {
    private static final Instant LAUNCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final LaunchRecord LAUNCHED = new LaunchRecord("j", List.of(), 60, "s3://b/j/output/", 1024, LAUNCH);
    private static final Duration GRACE = Duration.ofSeconds(120);

    @Test
    void max_runtime_asks_for_a_stop_and_the_grace_period_for_a_kill() {
        assertThat(StopDeadlines.due(LAUNCHED, null, GRACE, LAUNCH.plusSeconds(59))).isEqualTo(NOTHING);
        assertThat(StopDeadlines.due(LAUNCHED, null, GRACE, LAUNCH.plusSeconds(60))).isEqualTo(STOP_FOR_MAX_RUNTIME);
        var stop = new StopRequest(LAUNCH.plusSeconds(10), StopCause.USER_REQUEST);
        assertThat(StopDeadlines.due(LAUNCHED, stop, GRACE, LAUNCH.plusSeconds(129))).isEqualTo(NOTHING);
        assertThat(StopDeadlines.due(LAUNCHED, stop, GRACE, LAUNCH.plusSeconds(130))).isEqualTo(KILL);
    }
}
