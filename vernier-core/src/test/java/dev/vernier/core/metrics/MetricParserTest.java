package dev.vernier.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricParserTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void each_definition_yields_its_first_capture_as_a_timestamped_point() {
        var parser = new MetricParser(List.of(
                new MetricDefinition("train:loss", "loss=([0-9.eE+-]+)"),
                new MetricDefinition("val:acc", "val_acc: ([0-9.]+)")));

        assertThat(parser.parse("epoch 3 loss=0.25 val_acc: 0.9", T)).containsExactly(
                new MetricPoint("train:loss", 0.25, T), new MetricPoint("val:acc", 0.9, T));
        assertThat(parser.parse("loss=1e-3", T)).containsExactly(new MetricPoint("train:loss", 0.001, T));
        assertThat(parser.parse("nothing here", T)).isEmpty();
    }

    @Test
    void nan_infinity_and_unparsable_captures_are_ignored() {
        var parser = new MetricParser(List.of(new MetricDefinition("loss", "loss=(\\S+)")));

        for (String line : List.of("loss=nan", "loss=NaN", "loss=inf", "loss=-Infinity", "loss=abc",
                "loss=1e999", "loss=0x1p3", "loss=1d", "loss=1.2.3"))
            assertThat(parser.parse(line, T)).as(line).isEmpty();
        assertThat(parser.parse("loss=-.5", T)).extracting(MetricPoint::value).containsExactly(-0.5);
    }

    @Test
    void values_beyond_float_range_are_ignored_as_the_infinities_they_would_become_on_the_wire() {
        var parser = new MetricParser(List.of(new MetricDefinition("loss", "loss=(\\S+)")));
        for (String line : List.of("loss=1e39", "loss=-1e39", "loss=3.5e38"))
            assertThat(parser.parse(line, T)).as(line).isEmpty();
        assertThat(parser.parse("loss=3.4e38", T)).extracting(MetricPoint::value).containsExactly(3.4e38);
    }

    @Test
    void an_optional_group_that_did_not_take_part_yields_no_point() {
        var parser = new MetricParser(List.of(new MetricDefinition("m", "m(?:=([0-9]+))?")));
        assertThat(parser.parse("m", T)).isEmpty();
        assertThat(parser.parse("m=7", T)).extracting(MetricPoint::value).containsExactly(7.0);
    }

    @Test
    void a_pathological_regex_runs_in_linear_time() {
        // (a+)+b on 200,000 a's takes a backtracking engine longer than the age of the universe;
        // RE2 answers in milliseconds. The generous limit keeps this test meaningful on a loaded machine.
        var parser = new MetricParser(List.of(new MetricDefinition("m", "(a+)+b")));
        String line = "a".repeat(200_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> assertThat(parser.parse(line, T)).isEmpty());
    }

    @Test
    void validate_reports_bad_syntax_and_a_missing_capture_group() {
        assertThat(MetricDefinition.validate("loss", "loss=([0-9.]+)")).isEmpty();
        assertThat(MetricDefinition.validate("loss", "loss=([0-9.]+")).get().asString()
                .contains("MetricDefinition 'loss' has an invalid regex");
        assertThat(MetricDefinition.validate("loss", "(?<=x)y")).get().asString().contains("RE2 syntax");
        assertThat(MetricDefinition.validate("loss", "loss=[0-9.]+")).get().asString()
                .contains("has no capture group");
        assertThatThrownBy(() -> new MetricParser(List.of(new MetricDefinition("m", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no capture group");
    }
}
