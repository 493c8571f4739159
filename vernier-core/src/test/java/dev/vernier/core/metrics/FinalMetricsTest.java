package dev.vernier.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalMetricsTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:01Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:02Z");

    @Test
    void final_metric_list_holds_the_last_value_of_each_metric_in_order_of_first_appearance() {
        var series = List.of(new MetricPoint("loss", 3, T1), new MetricPoint("acc", 0.5, T1),
                new MetricPoint("loss", 2, T1), new MetricPoint("loss", 1, T2));
        assertThat(FinalMetrics.lastValues(series)).containsExactly(
                new MetricPoint("loss", 1, T2), new MetricPoint("acc", 0.5, T1));
    }

    @Test
    void objective_is_the_final_value_of_the_objective_metric_or_empty() {
        var series = List.of(new MetricPoint("loss", 3, T1), new MetricPoint("loss", 2, T2));
        assertThat(FinalMetrics.objective(series, "loss")).contains(2.0);
        assertThat(FinalMetrics.objective(series, "acc")).isEmpty();
        assertThat(FinalMetrics.objective(List.of(), "loss")).isEmpty();
    }
}
