package dev.vernier.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.server.Requests;
import dev.vernier.server.TestServer;
import dev.vernier.server.Waits;
import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStrategyType;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobEarlyStoppingType;

/** The intermediate-values chart's data and drawing: Hyperband's rungs and stops, the median rule's line. */
class DashboardIntermediateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 9;
    @TempDir
    Path dir;

    @Test
    void hyperbandsRungsAndTheJobsStoppedAtThemAreDrawn() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var base = Requests.create("hb-dash", Programs.image("curve.sh"), Map.of("SLEEP_SECONDS", "0.1"), 12, 3);
            server.client().createHyperParameterTuningJob(base.toBuilder()
                    .hyperParameterTuningJobConfig(base.hyperParameterTuningJobConfig().toBuilder().randomSeed(21)
                            .strategy(HyperParameterTuningJobStrategyType.HYPERBAND)
                            .strategyConfig(s -> s.hyperbandStrategyConfig(h -> h.minResource(1))).build())
                    .trainingJobDefinition(base.trainingJobDefinition().toBuilder()
                            .staticHyperParameters(Map.of("epochs", Integer.toString(EPOCHS))).build())
                    .build());
            Waits.terminal(server.client(), "hb-dash");
            Browser browser = new Browser(server.endpoint());
            browser.keepSession(browser.get(server.server().dashboardSignInPath("")));
            JsonNode d = JSON.readTree(browser.get("/dashboard/api/tuning-jobs/hb-dash/intermediate").body());
            JsonNode header = JSON.readTree(browser.get("/dashboard/api/tuning-jobs/hb-dash").body()).path("header");

            // MinResource 1, MaxResource 9 (the epochs), eta 3: brackets judge at 1 and 3, at 3, and none below MaxResource, where every job stops
            assertThat(header.path("hyperband").path("rungs").toString()).isEqualTo("[[1,3,9],[3,9],[9]]");
            assertThat(ints(d.path("rungs"))).containsExactly(1, 3, EPOCHS);
            assertThat(d.path("series")).hasSize(12);
            List<JsonNode> stoppedAtRungs = new ArrayList<>();
            for (JsonNode s : d.path("series")) {
                assertThat(s.path("bracket").asInt()).isBetween(0, 2);
                if (!s.has("stoppedBy")) continue;
                assertThat(s.path("stoppedBy").asText()).isEqualTo("HYPERBAND_STOP");
                assertThat(s.path("stopStep").asInt()).isIn(1, 3, EPOCHS);
                if (s.path("stopStep").asInt() < EPOCHS) {
                    stoppedAtRungs.add(s);
                    // the curve reaches the rung it was judged at, and ends before MaxResource
                    assertThat(s.path("values").size()).isBetween(s.path("stopStep").asInt(), EPOCHS - 1);
                    assertThat(s.path("bracket").asInt()).as("bracket 2 has no rung below MaxResource").isLessThan(2);
                }
            }
            assertThat(stoppedAtRungs).isNotEmpty();
            for (JsonNode decision : d.path("decisions")) {
                if (decision.path("kind").asText().equals("PROMOTION")) assertThat(decision.path("step").asInt()).isIn(1, 3);
                else assertThat(decision.path("step").asInt()).isIn(1, 3, EPOCHS);
            }
            assertThat(d.path("median")).as("no median rule with Hyperband").isEmpty();

            try (Chromium chromium = Chromium.start(1400, 2400)) {
                var driver = chromium.driver;
                driver.get(server.endpoint() + server.server().dashboardSignInPath("tuning-jobs/hb-dash"));
                DashboardBrowserTest.waiting(driver, 60).until(x -> x.findElement(By.id("intermediate-note")).getText().contains("jobs shown"));
                @SuppressWarnings("unchecked")
                Map<String, Object> drawn = (Map<String, Object>) driver.executeScript("""
                        const series = echarts.getInstanceByDom(document.getElementById('intermediate')).getOption().series;
                        return { rungs: series.flatMap(s => s.markLine ? s.markLine.data.map(m => m.xAxis) : []),
                                 dashed: series.filter(s => s.lineStyle && s.lineStyle.type === 'dashed').length,
                                 rungLabels: series.filter(s => s.endLabel && s.endLabel.show).length,
                                 lines: series.length };""");
                assertThat(drawn.get("rungs")).isEqualTo(List.of(1L, 3L, (long) EPOCHS));
                long stopped = 0;
                for (JsonNode s : d.path("series")) if (s.has("stoppedBy")) stopped++;
                assertThat(drawn.get("dashed")).isEqualTo(stopped);
                assertThat(drawn.get("rungLabels")).isEqualTo(stopped);
                assertThat(drawn.get("lines")).isEqualTo(12L);
                assertThat(driver.findElement(By.id("intermediate-note")).getText()).contains("purple lines = Hyperband rungs");
                chromium.screenshot("intermediate-hyperband");
            }
        }
    }

    @Test
    void theMedianLineIsTheMedianOfEveryCompletedJobsRunningAverage() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var base = Requests.create("median-dash", Requests.IMAGE, Map.of("EPOCHS", "6", "SLEEP_SECONDS", "0.3"), 16, 4);
            server.client().createHyperParameterTuningJob(base.toBuilder().hyperParameterTuningJobConfig(base.hyperParameterTuningJobConfig()
                    .toBuilder().trainingJobEarlyStoppingType(TrainingJobEarlyStoppingType.AUTO).build()).build());
            Waits.terminal(server.client(), "median-dash");
            Browser browser = new Browser(server.endpoint());
            browser.keepSession(browser.get(server.server().dashboardSignInPath("")));
            JsonNode d = JSON.readTree(browser.get("/dashboard/api/tuning-jobs/median-dash/intermediate").body());

            List<List<Double>> completed = new ArrayList<>();
            for (JsonNode s : d.path("series")) {
                if (s.has("stoppedBy")) {
                    assertThat(s.path("stoppedBy").asText()).isEqualTo("EARLY_STOPPING");
                    assertThat(s.path("stopStep").asInt()).as("no decision before step 4").isGreaterThanOrEqualTo(4);
                    assertThat(s.path("detail").asText()).containsIgnoringCase("median");
                } else if (s.path("status").asText().equals("Completed")) {
                    List<Double> values = new ArrayList<>();
                    s.path("values").forEach(v -> values.add(v.asDouble()));
                    completed.add(values);
                }
            }
            assertThat(d.path("medianOf").asInt()).isEqualTo(completed.size()).isGreaterThanOrEqualTo(3);
            assertThat(d.has("rungs")).isFalse();
            // computed here again, directly from the definition: at step k, the median of each completed job's mean of its first k values
            List<Double> expected = new ArrayList<>();
            for (int k = 1; ; k++) {
                List<Double> means = new ArrayList<>();
                for (List<Double> c : completed) if (c.size() >= k) means.add(c.subList(0, k).stream().mapToDouble(x -> x).average().orElseThrow());
                if (means.isEmpty()) break;
                means.sort(null);
                int n = means.size();
                expected.add(n % 2 == 1 ? means.get(n / 2) : (means.get(n / 2 - 1) + means.get(n / 2)) / 2);
            }
            List<Double> median = new ArrayList<>();
            d.path("median").forEach(v -> median.add(v.asDouble()));
            assertThat(median).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) assertThat(median.get(i)).isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    private static Set<Integer> ints(JsonNode array) {
        Set<Integer> out = new java.util.LinkedHashSet<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
