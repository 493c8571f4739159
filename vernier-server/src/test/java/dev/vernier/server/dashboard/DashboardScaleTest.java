package dev.vernier.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.server.Requests;
import dev.vernier.server.TestServer;
import dev.vernier.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;

/**
 * The tuning-job page at 100 and 10,000 training jobs, in Chromium: time to first render (from
 * navigation start to every chart drawn) and bytes transferred. The jobs are written into the
 * store directly (running 10,000 programs would take hours); the page reads them as it reads any.
 * Figures go to target/dashboard-scale.txt and docs/benchmarks.md.
 */
class DashboardScaleTest {
    private static final int LOADS = 5;
    @TempDir
    Path dir;

    @Test
    void aTuningJobWithTenThousandTrainingJobsOpensInUnderASecond() throws IOException, InterruptedException {
        try (TestServer first = TestServer.start(dir)) {
            for (String name : List.of("scale-100", "scale-10000")) {
                first.client().createHyperParameterTuningJob(Requests.create(name, Requests.IMAGE, Map.of("SLEEP_SECONDS", "30"), 10_000, 1));
                first.client().stopHyperParameterTuningJob(b -> b.hyperParameterTuningJobName(name));
            }
            for (String name : List.of("scale-100", "scale-10000")) awaitStopped(first, name);
        }
        try (SqliteStore store = SqliteStore.open(dir.resolve("vernier.db"))) {
            seed(store, "scale-100", 100);
            seed(store, "scale-10000", 10_000);
            TuningJob model = store.tuningJob("scale-100").orElseThrow();
            for (int i = 0; i < 1_000; i++) {
                String name = String.format(Locale.ROOT, "listed-%04d", i);
                Instant at = model.creationTime().minusSeconds(i);
                assertThat(store.createTuningJob(new TuningJob(name, model.arn().replace("scale-100", name),
                        dev.vernier.core.tuning.TuningJobStatus.STOPPED, model.strategy(), at, at, at, null, model.spec(),
                        null, null, 0), List.of())).isTrue();
            }
        }
        String keep = System.getProperty("vernier.dashboard.scaleData");   // a copy for bench/dashboard-page.py
        if (keep != null) new ProcessBuilder("cp", "-a", dir.toString(), keep).inheritIO().start().waitFor();
        StringBuilder report = new StringBuilder();
        List<Long> medians = new ArrayList<>();
        long[] dataBytesOf10000 = {0};
        double loadBefore = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        try (TestServer server = TestServer.start(dir); Chromium chromium = Chromium.start(1400, 2400)) {
            var driver = chromium.driver;
            driver.get(server.endpoint() + server.server().dashboardSignInPath(""));
            DashboardBrowserTest.waiting(driver, 30).until(d -> d.getCurrentUrl().endsWith("/dashboard/"));
            for (String name : List.of("scale-100", "scale-10000")) {
                List<Long> render = new ArrayList<>();
                List<Long> bytes = new ArrayList<>();
                long dataBytes = 0, dataDecoded = 0;
                for (int i = 0; i <= LOADS; i++) {   // load 0 warms the JVM and the browser's cache
                    driver.get(server.endpoint() + "/dashboard/tuning-jobs/" + name);
                    DashboardBrowserTest.waiting(driver, 60).until(d ->
                            "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) driver.executeScript("""
                            const nav = performance.getEntriesByType('navigation')[0];
                            const res = performance.getEntriesByType('resource');
                            const data = res.find(r => r.name.endsWith('/api/tuning-jobs/' + arguments[0]));
                            return { rendered: Number(document.body.dataset.renderedAt),
                                     html: nav.responseEnd, scripts: nav.domContentLoadedEventEnd, fetched: data.responseEnd,
                                     transferred: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
                                     total: nav.encodedBodySize + res.reduce((s, r) => s + r.encodedBodySize, 0),
                                     data: data.encodedBodySize, decoded: data.decodedBodySize,
                                     server: data.serverTiming.map(s => s.name + (s.description ? '(' + s.description + ')' : '') + ' ' + Math.round(s.duration)).join(', '),
                                     marks: performance.getEntriesByType('mark').map(k => k.name + ' ' + Math.round(k.startTime)).join(', ') };""", name);
                    if (i == 0) {
                        report.append(String.format(Locale.ROOT, "%s cold: first render %d ms, %d bytes (all assets, gzip)%n",
                                name, ((Number) m.get("rendered")).longValue(), ((Number) m.get("total")).longValue()));
                        if (name.equals("scale-10000")) chromium.screenshot("tuning-job-10000");
                        continue;
                    }
                    render.add(((Number) m.get("rendered")).longValue());
                    report.append(String.format(Locale.ROOT, "  %s load %d: page %.0f ms, scripts run %.0f ms, data in %.0f ms, drawn %d ms; server [%s]; marks [%s]%n",
                            name, i, ((Number) m.get("html")).doubleValue(), ((Number) m.get("scripts")).doubleValue(),
                            ((Number) m.get("fetched")).doubleValue(), ((Number) m.get("rendered")).longValue(), m.get("server"), m.get("marks")));
                    bytes.add(((Number) m.get("transferred")).longValue());
                    dataBytes = ((Number) m.get("data")).longValue();
                    dataDecoded = ((Number) m.get("decoded")).longValue();
                }
                long median = render.stream().sorted().toList().get(LOADS / 2);
                report.append(String.format(Locale.ROOT,
                        "%s warm: first render median %d ms (all %s), data %d bytes gzip (%d raw), transferred with cached assets %d bytes%n",
                        name, median, render, dataBytes, dataDecoded, bytes.get(bytes.size() - 1)));
                medians.add(median);
                if (name.equals("scale-10000")) dataBytesOf10000[0] = dataBytes;
            }
            double loadAtEnd = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            report.append(String.format(Locale.ROOT, "load average before %.2f, after %.2f%n", loadBefore, loadAtEnd));
            // What the server's aggregation guarantees, whatever the machine's load: the page of 10,000 jobs draws at
            // most 1,000 points and its data stays small.
            driver.get(server.endpoint() + "/dashboard/tuning-jobs/scale-10000");
            DashboardBrowserTest.waiting(driver, 60).until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
            assertThat(Integer.parseInt(driver.findElement(By.id("history")).getDomAttribute("data-points"))).isEqualTo(1000);
            assertThat(dataBytesOf10000[0]).as("gzipped data of the 10,000-job page").isLessThan(150_000);
            // The goal itself, under a second, is timed only on a machine that is not overloaded: on 2 cores shared by
            // a dozen builds (load 25) every step is ten times slower, the browser's drawing included.
            if (loadBefore < Runtime.getRuntime().availableProcessors() && loadAtEnd < 2 * Runtime.getRuntime().availableProcessors())
                assertThat(medians.get(1)).as("10,000 jobs, median time to first render, ms").isLessThan(1000);
            else
                report.append("time to first render not asserted: the machine is overloaded\n");
            // the list of 1,002 tuning jobs, 50 a page
            driver.get(server.endpoint() + "/dashboard/");
            var wait = DashboardBrowserTest.waiting(driver, 30);
            wait.until(d -> d.findElements(By.cssSelector("#tuning-jobs tbody tr")).size() == 50);
            new Select(driver.findElement(By.id("order"))).selectByValue("asc");
            new Select(driver.findElement(By.id("sort"))).selectByValue("name");
            wait.until(d -> "listed-0000".equals(d.findElement(By.cssSelector("#tuning-jobs tbody tr")).getDomAttribute("data-name")));
            for (int page = 2; page <= 3; page++) {
                driver.findElement(By.id("next")).click();
                String first = String.format(Locale.ROOT, "listed-%04d", (page - 1) * 50);
                wait.until(d -> first.equals(d.findElement(By.cssSelector("#tuning-jobs tbody tr")).getDomAttribute("data-name")));
            }
            assertThat(driver.findElement(By.id("page-no")).getText()).isEqualTo("page 3");
            new Select(driver.findElement(By.id("order"))).selectByValue("desc");
            wait.until(d -> "scale-10000".equals(d.findElement(By.cssSelector("#tuning-jobs tbody tr")).getDomAttribute("data-name")));
        } finally {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "dashboard-scale.txt"), report);
            System.out.print(report);
        }
    }

    private static void awaitStopped(TestServer server, String name) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (server.client().describeHyperParameterTuningJob(b -> b.hyperParameterTuningJobName(name))
                .hyperParameterTuningJobStatus() != HyperParameterTuningJobStatus.STOPPED) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + " did not stop");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** {@code count} finished training jobs over an hour, 8 at a time; 5% failed, 5% stopped. */
    private static void seed(SqliteStore store, String name, int count) {
        TuningJob job = store.tuningJob(name).orElseThrow();
        List<TrainingJob> existing = store.trainingJobsOf(name);
        String definition = existing.isEmpty() ? "{}" : existing.getFirst().definition();
        Random random = new Random(count);
        Instant start = job.creationTime();
        List<TrainingJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int ordinal = existing.size() + i + 1;
            String jobName = String.format(Locale.ROOT, "%s-%05d-%08x", name, ordinal, random.nextInt());
            double lr = Math.pow(10, -3 + 2 * random.nextDouble());
            Instant created = start.plusMillis((long) i * 3_600_000L / count * 8 / 8);
            Map<String, String> tuned = Map.of("lr", String.format(Locale.ROOT, "%.6f", lr));
            TrainingJob t = TrainingJob.starting(jobName, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + jobName,
                    name, ordinal, null, tuned, tuned, null, definition, created).launched(null, created.plusMillis(200));
            double loss = 1000 * (lr - 0.05) * (lr - 0.05) + 1 + random.nextGaussian() * 0.05;
            Instant end = created.plusMillis(8L * 3_600_000L / count + random.nextInt(1000));
            int kind = random.nextInt(20);
            TrainingJobStatus status = kind == 0 ? TrainingJobStatus.FAILED : kind == 1 ? TrainingJobStatus.STOPPED : TrainingJobStatus.COMPLETED;
            Double objective = status == TrainingJobStatus.FAILED ? null : loss;
            List<MetricValue> finals = objective == null ? List.of() : List.of(new MetricValue("loss", loss, end));
            jobs.add(t.finished(status, status.apiName(), status == TrainingJobStatus.FAILED ? "AlgorithmError: seeded" : null,
                    false, null, finals, objective, null, end, (end.toEpochMilli() - created.toEpochMilli()) / 1000, "seeded"));
        }
        assertThat(store.addTrainingJobs(job, jobs, null)).isPresent();
    }
}
