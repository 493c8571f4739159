package dev.vernier.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.Requests;
import dev.vernier.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.sagemaker.model.CategoricalParameterRange;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterScalingType;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.IntegerParameterRange;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSortByOptions;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobEarlyStoppingType;

/** The dashboard in real headless Chromium against a real server running real training jobs. */
class DashboardBrowserTest {
    @TempDir
    Path dir;
    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        chromium = Chromium.start(1400, 2400);
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    @Test
    void aRunningTuningJobUpdatesLiveShowsALiveLogAndStopsFromThePage() {
        // 4 epochs of 4 s each, two at a time: jobs finish one after another while the page is open
        server.client().createHyperParameterTuningJob(Requests.create("live-job", Requests.IMAGE,
                Map.of("SLEEP_SECONDS", "4", "EPOCHS", "4"), 40, 2));
        var driver = chromium.driver;
        driver.get(server.endpoint() + server.server().dashboardSignInPath("tuning-jobs/live-job"));
        WebDriverWait wait = waiting(driver, 60);
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/tuning-jobs/live-job");
        assertThat(driver.findElement(By.id("header")).getText()).contains("InProgress");

        // the history gains points as jobs finish, without a reload (server-sent events)
        driver.executeScript("window.__sameDocument = true");
        int before = points(driver);
        wait.until(d -> points(driver) >= before + 2);
        assertThat(driver.executeScript("return window.__sameDocument")).isEqualTo(true);
        chromium.screenshot("tuning-job-running");

        // a running training job's log, live: the one that started last
        String trainingJob = wait.until(d -> server.client().listTrainingJobsForHyperParameterTuningJob(b -> b
                .hyperParameterTuningJobName("live-job").statusEquals(TrainingJobStatus.IN_PROGRESS)
                .sortBy(TrainingJobSortByOptions.CREATION_TIME).sortOrder(SortOrder.DESCENDING))
                .trainingJobSummaries().stream().findFirst().map(t -> t.trainingJobName()).orElse(null));
        // the table links to it, once its next refresh (throttled to one per 3 s while events arrive) has run
        wait.until(d -> d.findElement(By.cssSelector("#training-jobs a[href$='/" + trainingJob + "']")));
        driver.get(server.endpoint() + "/dashboard/training-jobs/" + trainingJob);
        wait.until(d -> d.findElement(By.id("log")).getText().contains("epoch=1"));
        assertThat(driver.findElement(By.id("title")).getText()).isEqualTo(trainingJob);
        // seen running, then its log and status move on without a reload
        wait.until(d -> d.findElement(By.id("log")).getText().contains("epoch=4"));
        wait.until(d -> "Completed".equals(d.findElement(By.tagName("body")).getDomAttribute("data-status")));
        assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-statuses")).startsWith("InProgress").endsWith("Completed");
        assertThat(driver.findElement(By.id("log-state")).getText()).isEqualTo("(complete)");
        wait.until(d -> !d.findElements(By.cssSelector("#metrics canvas")).isEmpty());
        chromium.screenshot("training-job-live-log");

        // stop the tuning job from its page
        driver.navigate().back();
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
        WebElement stop = wait.until(ExpectedConditions.elementToBeClickable(By.id("stop-tuning-job")));
        stop.click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> d.findElement(By.id("header")).getText().matches("(?s).*(Stopping|Stopped).*"));
        assertThat(server.client().describeHyperParameterTuningJob(b -> b.hyperParameterTuningJobName("live-job"))
                .hyperParameterTuningJobStatus()).isIn(HyperParameterTuningJobStatus.STOPPING, HyperParameterTuningJobStatus.STOPPED);
        wait.until(d -> d.findElement(By.id("header")).getText().contains("Stopped"));

        // from inside the page, an action with a wrong CSRF token is refused (the cookie alone is not enough)
        Object status = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/dashboard/api/training-jobs/" + trainingJob + "/stop', {method: 'POST', headers: {'X-CSRF-Token': 'wrong'}})"
                + ".then(r => done(r.status))");
        assertThat(status).isEqualTo(403L);
        assertOnlySameOrigin(driver);
    }

    @Test
    void aFinishedTuningJobDrawsEveryChartAndLoadsNothingFromOutside() {
        var base = Requests.create("wide-job", Requests.IMAGE, Map.of("EPOCHS", "6", "SLEEP_SECONDS", "0.3"), 24, 4);
        var config = base.hyperParameterTuningJobConfig();
        server.client().createHyperParameterTuningJob(base.toBuilder().hyperParameterTuningJobConfig(config.toBuilder()
                .trainingJobEarlyStoppingType(TrainingJobEarlyStoppingType.AUTO)
                .parameterRanges(config.parameterRanges().toBuilder()
                        .integerParameterRanges(IntegerParameterRange.builder().name("batch_size").minValue("8").maxValue("1024")
                                .scalingType(HyperParameterScalingType.LOGARITHMIC).build())
                        .categoricalParameterRanges(CategoricalParameterRange.builder().name("optimizer").values("sgd", "adam").build())
                        .build()).build()).build());
        awaitEnd("wide-job");
        var driver = chromium.driver;
        driver.get(server.endpoint() + "/dashboard/tuning-jobs/wide-job");
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/login");   // no session yet
        driver.findElement(By.id("accessKeyId")).sendKeys(TestServer.ACCESS_KEY);
        driver.findElement(By.id("secretAccessKey")).sendKeys(TestServer.SECRET_KEY);
        driver.findElement(By.id("sign-in")).click();
        WebDriverWait wait = waiting(driver, 30);
        wait.until(d -> d.getCurrentUrl().endsWith("/dashboard/"));
        wait.until(d -> !d.findElements(By.cssSelector("#tuning-jobs tr[data-name='wide-job']")).isEmpty());
        chromium.screenshot("tuning-jobs");
        driver.findElement(By.linkText("wide-job")).click();
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
        assertThat(points(driver)).isEqualTo(24);
        for (String chart : List.of("history", "parallel", "importance", "intermediate", "timeline", "slice-lr", "slice-batch_size", "slice-optimizer"))
            assertThat(driver.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
        wait.until(d -> d.findElements(By.cssSelector("#training-jobs tbody tr")).size() == 24);
        wait.until(d -> d.findElement(By.id("intermediate-note")).getText().contains("jobs shown"));
        assertThat(driver.findElement(By.id("importance-method")).getText()).contains("variance");
        chromium.screenshot("tuning-job");
        // sort the table by objective: the best job (minimised) comes first
        driver.findElement(By.cssSelector("th[data-sort='objective']")).click();
        String best = driver.findElement(By.cssSelector("#header a[href*='/training-jobs/']")).getText();
        wait.until(d -> d.findElement(By.cssSelector("#training-jobs tbody tr")).getDomAttribute("data-name").equals(best));
        assertOnlySameOrigin(driver);
    }

    @Test
    void theListFollowsTuningJobsThroughEventsReplacingOnlyTheRowsThatChanged() {
        server.client().createHyperParameterTuningJob(Requests.create("list-done", Requests.IMAGE, Map.of("SLEEP_SECONDS", "0"), 1, 1));
        awaitEnd("list-done");
        var driver = chromium.driver;
        driver.get(server.endpoint() + server.server().dashboardSignInPath(""));
        WebDriverWait wait = waiting(driver, 60);
        wait.until(d -> !d.findElements(By.cssSelector("#tuning-jobs tr[data-name='list-done']")).isEmpty());
        driver.executeScript("window.__sameDocument = true;"
                + "document.querySelector(\"#tuning-jobs tr[data-name='list-done']\").dataset.untouched = 'yes'");

        server.client().createHyperParameterTuningJob(Requests.create("list-live", Requests.IMAGE, Map.of("SLEEP_SECONDS", "1"), 3, 1));
        wait.until(d -> d.findElements(By.cssSelector("#tuning-jobs tr[data-name='list-live']")).stream()
                .anyMatch(tr -> tr.getText().contains("InProgress")));
        assertThat(driver.findElement(By.cssSelector("#tuning-jobs tbody tr")).getDomAttribute("data-name"))
                .as("newest first").isEqualTo("list-live");
        wait.until(d -> d.findElement(By.cssSelector("#tuning-jobs tr[data-name='list-live']")).getText().contains("1 · "));
        wait.until(d -> d.findElement(By.cssSelector("#tuning-jobs tr[data-name='list-live']")).getText().contains("Completed"));
        assertThat(driver.findElement(By.cssSelector("#tuning-jobs tr[data-name='list-live']")).getText()).contains("3 · 0 · 0 of 3");
        assertThat(driver.executeScript("return window.__sameDocument")).isEqualTo(true);
        assertThat(driver.findElement(By.cssSelector("#tuning-jobs tr[data-name='list-done']")).getDomAttribute("data-untouched"))
                .as("a row that did not change is the same node").isEqualTo("yes");
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/dashboard/api/'))");
        assertThat(fetched).as("no polling").isEmpty();
        chromium.screenshot("tuning-jobs-live");
    }

    /** A wait that looks again when the page was replaced under it (a navigation, a redrawn table). */
    static WebDriverWait waiting(org.openqa.selenium.WebDriver driver, int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void awaitEnd(String name) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (server.client().describeHyperParameterTuningJob(b -> b.hyperParameterTuningJobName(name))
                .hyperParameterTuningJobStatus() == HyperParameterTuningJobStatus.IN_PROGRESS) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + " did not end");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static int points(org.openqa.selenium.WebDriver driver) {
        String n = driver.findElement(By.id("history")).getDomAttribute("data-points");
        return n == null ? 0 : Integer.parseInt(n);
    }

    /** Every resource the page loaded (scripts, styles, data, events) came from this server. */
    private void assertOnlySameOrigin(org.openqa.selenium.remote.RemoteWebDriver driver) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])");
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(server.endpoint().toString()));
        assertThat(urls).anySatisfy(u -> assertThat(u).contains("/dashboard/assets/echarts.min.js"));
    }
}
