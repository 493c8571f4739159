package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.json.Json;
import dev.vernier.testkit.Programs;
import dev.vernier.testkit.store.TestPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;

/**
 * The database goes away under a running server (every connection cut, new ones refused) and comes
 * back: meanwhile requests, the dashboard's too, answer a retryable ServiceUnavailable, never a 500; afterwards the
 * controller carries on and the tuning job completes with every training job counted once.
 */
@Tag("postgresql")
class DatabaseOutageTest {
    @TempDir
    Path dir;

    @Test
    void requestsAnswerServiceUnavailableWhileTheDatabaseIsAwayAndTheControllerResumes() throws Exception {
        TestPostgres.requireAvailable();
        URI db = URI.create(TestPostgres.URL);
        try (TcpProxy proxy = new TcpProxy(db.getHost(), db.getPort() == -1 ? 5432 : db.getPort())) {
            String url = "postgresql://" + db.getRawUserInfo() + "@127.0.0.1:" + proxy.port() + db.getRawPath()
                    + "?currentSchema=" + TestDatabase.schema(dir);
            var settings = TestServer.settings(dir).withPostgresql(url, Optional.empty());
            try (TestServer server = TestServer.start(dir, settings)) {
                server.client().createHyperParameterTuningJob(Requests.create("outage", Programs.image("five_epochs.sh"),
                        Map.of("EPOCH_SECONDS", "0.3"), 5, 1));
                RawClient raw = new RawClient(server.endpoint());
                String describe = "{\"HyperParameterTuningJobName\":\"outage\"}";
                Thread.sleep(1_000);   // a training job is running
                var browser = java.net.http.HttpClient.newHttpClient();   // follows no redirect
                String cookie = browser.send(java.net.http.HttpRequest.newBuilder(server.endpoint()
                                .resolve(server.server().dashboardSignInPath(""))).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie").orElseThrow()
                        .split(";")[0];
                var page = java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/dashboard/api/tuning-jobs"))
                        .header("Cookie", cookie).build();
                assertThat(browser.send(page, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

                proxy.cut();
                List<Integer> statuses = new ArrayList<>();
                List<Integer> dashboard = new ArrayList<>();
                long until = System.currentTimeMillis() + 8_000;
                while (System.currentTimeMillis() < until) {
                    RawClient.Response r = raw.call("DescribeHyperParameterTuningJob", describe);
                    statuses.add(r.status());
                    if (r.status() != 200) {
                        assertThat(r.status()).isEqualTo(503);
                        JsonNode body = Json.parseObject(r.body());
                        assertThat(body.path("__type").asText()).endsWith("ServiceUnavailable");
                    }
                    dashboard.add(browser.send(page, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
                    Thread.sleep(200);
                }
                proxy.restore();
                System.out.printf("database outage: statuses during the outage %s, the dashboard's %s%n", statuses, dashboard);
                assertThat(statuses).as("answers during the outage").contains(503).doesNotContain(500);
                assertThat(dashboard).as("the dashboard's answers during the outage").contains(503).doesNotContain(500);

                var done = Waits.terminal(server.client(), "outage");
                assertThat(done.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
                var c = done.trainingJobStatusCounters();
                assertThat(c.completed() + c.nonRetryableError()).isEqualTo(5);
                assertThat(server.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("outage"))
                        .trainingJobSummaries()).hasSize(5 + c.retryableError());
            }
        }
    }
}
