package dev.vernier.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.server.MovableClock;
import dev.vernier.server.Requests;
import dev.vernier.server.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/** Sign-in, sessions, CSRF and the actions of the dashboard, over HTTP against a real server. */
class DashboardAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private TestServer server;
    private Browser browser;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        browser = new Browser(server.endpoint());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nothingButTheSignInPageAnswersWithoutASession() throws Exception {
        for (String page : new String[] {"/dashboard/", "/dashboard", "/dashboard/tuning-jobs/x", "/dashboard/training-jobs/y",
                "/dashboard/assets/echarts.min.js", "/dashboard/assets/common.js"}) {
            HttpResponse<String> r = browser.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).contains("/dashboard/login");
            assertThat(r.body()).as(page).isEmpty();
        }
        for (String api : new String[] {"/dashboard/api/tuning-jobs", "/dashboard/api/tuning-jobs/x", "/dashboard/events/tuning-jobs/x"}) {
            HttpResponse<String> r = browser.get(api);
            assertThat(r.statusCode()).as(api).isEqualTo(401);
            assertThat(r.body()).contains("NotSignedIn");
        }
        assertThat(browser.post("/dashboard/api/tuning-jobs/x/stop", "application/json", "", "anything").statusCode()).isEqualTo(401);
        browser.cookie = "vernier_session=made-up";
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(401);
        HttpResponse<String> login = new Browser(server.endpoint()).get("/dashboard/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("Access key id");
    }

    @Test
    void signingInWithTheAccessKeySetsAStrictHttpOnlyExpiringCookie() throws Exception {
        HttpResponse<String> wrong = browser.post("/dashboard/login", "application/x-www-form-urlencoded",
                form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", "not-the-secret")), null);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> unknown = browser.post("/dashboard/login", "application/x-www-form-urlencoded",
                form(Map.of("accessKeyId", "AKIAUNKNOWNUNKNOWN00", "secretAccessKey", TestServer.SECRET_KEY)), null);
        assertThat(unknown.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = browser.post("/dashboard/login", "application/x-www-form-urlencoded",
                form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", TestServer.SECRET_KEY)), null);
        assertThat(ok.statusCode()).isEqualTo(303);
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("vernier_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/dashboard").contains("; Max-Age=43200").doesNotContain("Secure");   // plain HTTP here
        browser.keepSession(ok);
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);
        HttpResponse<String> page = browser.get("/dashboard/");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'")
                .contains("script-src 'self'").contains("connect-src 'self'");
    }

    @Test
    void aSessionSurvivesARestartOfTheServerAndATamperedOrSignedOutCookieIsRefused() throws Exception {
        signIn();
        String cookie = browser.cookie;
        server.close();
        server = TestServer.start(dir);
        browser = new Browser(server.endpoint());
        browser.cookie = cookie;
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);
        assertThat(browser.get("/dashboard/").body()).contains("content=\"" + csrfOf(cookie));
        // the CSRF token of before the restart still opens actions: this one fails only for want of the job
        HttpResponse<String> action = browser.post("/dashboard/api/tuning-jobs/nope/stop", "application/json", "", csrfOf(cookie));
        assertThat(action.statusCode()).isEqualTo(400);
        assertThat(action.body()).contains("ResourceNotFound");

        String value = cookie.substring(cookie.indexOf('=') + 1);
        String[] parts = value.split("\\.");
        String later = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
        String otherId = (parts[0].charAt(0) == 'A' ? "B" : "A") + parts[0].substring(1) + "." + parts[1] + "." + parts[2];
        for (String tampered : new String[] {later, otherId, parts[0] + "." + parts[1] + ".", parts[0]}) {
            Browser forger = new Browser(server.endpoint());
            forger.cookie = "vernier_session=" + tampered;
            assertThat(forger.get("/dashboard/api/tuning-jobs").statusCode()).as(tampered).isEqualTo(401);
        }

        HttpResponse<String> out = browser.post("/dashboard/logout", "application/json", "", csrfOf(cookie));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).as("the old cookie, kept").isEqualTo(401);
        server.close();
        server = TestServer.start(dir);
        browser = new Browser(server.endpoint());
        browser.cookie = cookie;
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).as("signed out, after a restart").isEqualTo(401);
    }

    @Test
    void aSignOutOnOneServerIsRefusedByAnotherOnTheSameDatabaseWithADataDirectoryOfItsOwn(@TempDir Path otherDir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.vernier.server.TestDatabase.postgresql(),
                "servers share a database on PostgreSQL");
        signIn();
        String cookie = browser.cookie;
        var sameDatabase = TestServer.settings(otherDir).withPostgresql(dev.vernier.server.TestDatabase.url(dir),
                java.util.Optional.empty());
        try (TestServer other = TestServer.start(sameDatabase)) {
            Browser there = new Browser(other.endpoint());
            there.cookie = cookie;
            assertThat(there.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);

            assertThat(browser.post("/dashboard/logout", "application/json", "", csrfOf(cookie)).statusCode()).isEqualTo(200);

            assertThat(there.get("/dashboard/api/tuning-jobs").statusCode()).as("signed out on the other server").isEqualTo(401);
        }
    }

    @Test
    void failedSignInsOnEveryServerOnTheSameDatabaseCountTogether(@TempDir Path otherDir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.vernier.server.TestDatabase.postgresql(),
                "servers share a database on PostgreSQL");
        var sameDatabase = TestServer.settings(otherDir).withPostgresql(dev.vernier.server.TestDatabase.url(dir),
                java.util.Optional.empty());
        String wrong = form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", "guess"));
        String right = form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", TestServer.SECRET_KEY));
        try (TestServer other = TestServer.start(sameDatabase)) {
            Browser there = new Browser(other.endpoint());
            for (int i = 0; i < 3; i++)
                assertThat(browser.post("/dashboard/login", "application/x-www-form-urlencoded", wrong, null).statusCode()).isEqualTo(403);
            for (int i = 0; i < 2; i++)
                assertThat(there.post("/dashboard/login", "application/x-www-form-urlencoded", wrong, null).statusCode()).isEqualTo(403);

            assertThat(there.post("/dashboard/login", "application/x-www-form-urlencoded", right, null).statusCode())
                    .as("five failures over two servers").isEqualTo(429);
            assertThat(browser.post("/dashboard/login", "application/x-www-form-urlencoded", right, null).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void signOutsAnEarlierVersionKeptInTheDataDirectoryStaySignedOut() throws Exception {
        signIn();
        String cookie = browser.cookie;
        String[] parts = cookie.substring(cookie.indexOf('=') + 1).split("\\.");
        server.close();
        Path file = dir.resolve("dashboard/signed-out");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "1 expired-long-ago\ncut sho\n" + parts[1] + " " + parts[0] + "\n");

        server = TestServer.start(dir);
        browser = new Browser(server.endpoint());
        browser.cookie = cookie;

        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(401);
        assertThat(file).doesNotExist();
    }

    @Test
    void anotherServerWithTheSameKeysAcceptsTheSessionAndOneWithOtherKeysDoesNot(@TempDir Path otherDir, @TempDir Path thirdDir)
            throws Exception {
        signIn();
        try (TestServer other = TestServer.start(otherDir)) {   // the same configured keys, as replicas have
            Browser there = new Browser(other.endpoint());
            there.cookie = browser.cookie;
            assertThat(there.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);
            HttpResponse<String> action = there.post("/dashboard/api/tuning-jobs/nope/stop", "application/json", "", browser.csrf);
            assertThat(action.body()).contains("ResourceNotFound");
        }
        var base = TestServer.settings(thirdDir);
        var otherKeys = new dev.vernier.server.config.Settings(base.bindAddress(), base.port(), base.dataDir(), base.database(),
                base.region(), base.accountId(), java.util.Optional.of("AKIAOTHEROTHEROTHER0"),
                java.util.Optional.of("another-secret-key-0123456789abcdefghijkl"), base.maxRequestBytes(), base.training(),
                base.network(), base.databaseUrl(), base.databasePassword(), base.objectStorage());
        try (TestServer stranger = TestServer.start(otherKeys)) {
            Browser there = new Browser(stranger.endpoint());
            there.cookie = browser.cookie;
            assertThat(there.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void repeatedFailedSignInsFromOneAddressAreAnswered429WithRetryAfterUntilTheWindowPasses() throws Exception {
        server.close();
        MovableClock clock = new MovableClock();
        server = TestServer.start(dir, clock);
        browser = new Browser(server.endpoint());
        String wrong = form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", "guess"));
        String right = form(Map.of("accessKeyId", TestServer.ACCESS_KEY, "secretAccessKey", TestServer.SECRET_KEY));
        for (int i = 0; i < 4; i++)
            assertThat(browser.post("/dashboard/login", "application/x-www-form-urlencoded", wrong, null).statusCode()).isEqualTo(403);
        assertThat(browser.get("/dashboard/login?token=made-up").statusCode()).as("a made-up link counts too").isEqualTo(403);
        HttpResponse<String> refused = browser.post("/dashboard/login", "application/x-www-form-urlencoded", right, null);
        assertThat(refused.statusCode()).as("even the right secret, while the address waits").isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(refused.body()).contains("Too many failed sign-ins");
        assertThat(browser.get(server.server().dashboardSignInPath("")).statusCode()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(5));
        HttpResponse<String> ok = browser.post("/dashboard/login", "application/x-www-form-urlencoded", right, null);
        assertThat(ok.statusCode()).isEqualTo(303);
        browser.keepSession(ok);
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void theOneTimeLinkSignsInOnceOnly() throws Exception {
        String link = server.server().dashboardSignInPath("tuning-jobs/some-job");
        HttpResponse<String> first = browser.get(link);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("url=/dashboard/tuning-jobs/some-job");
        browser.keepSession(first);
        assertThat(browser.get("/dashboard/api/tuning-jobs").statusCode()).isEqualTo(200);

        Browser other = new Browser(server.endpoint());
        HttpResponse<String> again = other.get(link);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        String evil = server.server().dashboardSignInPath("").replace("token=", "next=//evil.example&token=");
        HttpResponse<String> redirected = other.get(evil + "&next=https://evil.example/");
        assertThat(redirected.body()).doesNotContain("evil");
    }

    @Test
    void actionsNeedTheSessionsCsrfTokenAndGoThroughTheService() throws Exception {
        server.client().createHyperParameterTuningJob(Requests.create("dash-stop", Requests.IMAGE,
                Map.of("SLEEP_SECONDS", "5"), 4, 1));
        signIn();
        String stop = "/dashboard/api/tuning-jobs/dash-stop/stop";
        assertThat(browser.post(stop, "application/json", "", null).statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = browser.post(stop, "application/json", "", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("InvalidCsrfToken");
        Browser stranger = new Browser(server.endpoint());
        stranger.cookie = browser.cookie;   // the cookie without the token (what a cross-site form could send, were it not SameSite)
        assertThat(stranger.post(stop, "application/x-www-form-urlencoded", "", null).statusCode()).isEqualTo(403);
        assertThat(status("dash-stop")).isEqualTo(HyperParameterTuningJobStatus.IN_PROGRESS);

        HttpResponse<String> ok = browser.post(stop, "application/json", "", browser.csrf);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(status("dash-stop")).isIn(HyperParameterTuningJobStatus.STOPPING, HyperParameterTuningJobStatus.STOPPED);
        HttpResponse<String> twice = browser.post("/dashboard/api/tuning-jobs/nope/stop", "application/json", "", browser.csrf);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("ResourceNotFound");
    }

    @Test
    void stoppingATrainingJobFromTheDashboardStopsThatJobOnly() throws Exception {
        server.client().createHyperParameterTuningJob(Requests.create("dash-one", Requests.IMAGE,
                Map.of("SLEEP_SECONDS", "5"), 3, 1));
        signIn();
        String running = null;
        for (long deadline = System.nanoTime() + 60_000_000_000L; running == null && System.nanoTime() < deadline; Thread.sleep(100))
            running = server.client().listTrainingJobsForHyperParameterTuningJob(b -> b.hyperParameterTuningJobName("dash-one")
                    .statusEquals(TrainingJobStatus.IN_PROGRESS)).trainingJobSummaries().stream()
                    .map(t -> t.trainingJobName()).findFirst().orElse(null);
        assertThat(running).isNotNull();
        String name = running;
        HttpResponse<String> ok = browser.post("/dashboard/api/training-jobs/" + name + "/stop", "application/json", "", browser.csrf);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        TrainingJobStatus after = null;   // the controller acts on the stop on its next pass
        for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            after = server.client().describeTrainingJob(b -> b.trainingJobName(name)).trainingJobStatus();
            if (after == TrainingJobStatus.STOPPING || after == TrainingJobStatus.STOPPED) break;
        }
        assertThat(after).isIn(TrainingJobStatus.STOPPING, TrainingJobStatus.STOPPED);
        assertThat(status("dash-one")).isEqualTo(HyperParameterTuningJobStatus.IN_PROGRESS);
        JsonNode page = JSON.readTree(browser.get("/dashboard/api/training-jobs/" + name).body());
        assertThat(page.path("name").asText()).isEqualTo(name);
        assertThat(page.path("tuningJob").asText()).isEqualTo("dash-one");
    }

    @Test
    void tuneAgainPrefillsACreateRequestWithThisJobAsParentAndCreatesItThroughTheApisValidation() throws Exception {
        server.client().createHyperParameterTuningJob(Requests.create("dash-parent", Requests.IMAGE, Map.of(), 2, 2));
        signIn();
        JsonNode early = JSON.readTree(browser.get("/dashboard/api/tuning-jobs/dash-parent/tune-again").body()).get("request");
        HttpResponse<String> tooEarly = browser.post("/dashboard/api/tuning-jobs", "application/json", JSON.writeValueAsString(early), browser.csrf);
        assertThat(tooEarly.statusCode()).isEqualTo(400);   // the API's own rule: a parent must have ended
        assertThat(tooEarly.body()).contains("warmStartConfig.parentHyperParameterTuningJobs").contains("is InProgress");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (status("dash-parent") == HyperParameterTuningJobStatus.IN_PROGRESS && System.nanoTime() < deadline) Thread.sleep(100);
        JsonNode prefilled = JSON.readTree(browser.get("/dashboard/api/tuning-jobs/dash-parent/tune-again").body()).get("request");
        assertThat(prefilled.path("WarmStartConfig").path("ParentHyperParameterTuningJobs").get(0)
                .path("HyperParameterTuningJobName").asText()).isEqualTo("dash-parent");
        assertThat(prefilled.path("HyperParameterTuningJobName").asText()).startsWith("dash-parent-").isNotEqualTo("dash-parent");

        ObjectNode edited = (ObjectNode) prefilled.deepCopy();
        edited.put("HyperParameterTuningJobName", "dash-child");
        ((ObjectNode) edited.path("HyperParameterTuningJobConfig").path("ResourceLimits")).put("MaxNumberOfTrainingJobs", 0);
        HttpResponse<String> refused = browser.post("/dashboard/api/tuning-jobs", "application/json", JSON.writeValueAsString(edited), browser.csrf);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("ValidationException").contains("maxNumberOfTrainingJobs");
        assertThat(browser.post("/dashboard/api/tuning-jobs", "application/json", "{not json", browser.csrf).statusCode()).isEqualTo(400);

        ((ObjectNode) edited.path("HyperParameterTuningJobConfig").path("ResourceLimits")).put("MaxNumberOfTrainingJobs", 1);
        assertThat(browser.post("/dashboard/api/tuning-jobs", "application/json", JSON.writeValueAsString(edited), null).statusCode())
                .isEqualTo(403);
        HttpResponse<String> created = browser.post("/dashboard/api/tuning-jobs", "application/json", JSON.writeValueAsString(edited), browser.csrf);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        var described = server.client().describeHyperParameterTuningJob(b -> b.hyperParameterTuningJobName("dash-child"));
        assertThat(described.warmStartConfig().parentHyperParameterTuningJobs().get(0).hyperParameterTuningJobName())
                .isEqualTo("dash-parent");
        assertThat(described.hyperParameterTuningJobConfig().resourceLimits().maxNumberOfTrainingJobs()).isEqualTo(1);
    }

    @Test
    void theApiStillNeedsSigV4() throws Exception {
        signIn();
        HttpResponse<String> unsigned = browser.post("/", "application/x-amz-json-1.1", "{}", browser.csrf);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("MissingAuthenticationToken");
    }

    @Test
    void badQueryParametersAre400sNamingTheParameter() throws Exception {
        signIn();
        HttpResponse<String> r = browser.get("/dashboard/api/tuning-jobs?sort=bogus");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("sort");
        assertThat(browser.get("/dashboard/api/tuning-jobs?size=abc").body()).contains("size");
        assertThat(browser.get("/dashboard/api/tuning-jobs/nope").statusCode()).isEqualTo(400);
    }

    /** The CSRF token the dashboard's pages carry for the session of this cookie. */
    private String csrfOf(String cookie) throws Exception {
        Browser b = new Browser(server.endpoint());
        b.cookie = cookie;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"")
                .matcher(b.get("/dashboard/").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private void signIn() throws Exception {
        browser.keepSession(browser.get(server.server().dashboardSignInPath("")));
    }

    private HyperParameterTuningJobStatus status(String name) {
        return server.client().describeHyperParameterTuningJob(b -> b.hyperParameterTuningJobName(name)).hyperParameterTuningJobStatus();
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }
}
