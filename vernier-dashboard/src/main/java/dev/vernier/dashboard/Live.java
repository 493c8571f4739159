package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.service.TrainingJobLog;
import dev.vernier.service.TrainingJobService;
import dev.vernier.service.TuningJobDetails;
import dev.vernier.service.TuningJobService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Server-sent events: what changed since the page was drawn, and nothing else. For the list, the rows
 * of its page that changed; for a tuning job,
 * the header when it changes and the training jobs modified since the last event (the event id is
 * that time, so a reconnecting browser continues where it was); for a training job, new log bytes,
 * new metric points and its status. Each stream is one virtual thread that looks every
 * {@link #PERIOD_MILLIS} at the services' in-memory state and ends when the job has ended.
 */
final class Live {
    static final long PERIOD_MILLIS = 500;
    /** The list reads a page of tuning jobs and their progress: less often than one job. */
    static final long LIST_PERIOD_MILLIS = 1_000;
    private static final long HEARTBEAT_MILLIS = 15_000;
    private static final int LOG_CHUNK = 256 * 1024;

    private final TuningJobService tuning;
    private final TrainingJobService training;
    private final TuningJobPages pages;
    private final BooleanSupplier closed;

    Live(TuningJobService tuning, TrainingJobService training, TuningJobPages pages, BooleanSupplier closed) {
        this.tuning = tuning;
        this.training = training;
        this.pages = pages;
        this.closed = closed;
    }

    /**
     * A page of the tuning-job list (the query of {@link TuningJobPages#list}), kept current: the first event carries
     * every row, later ones only the rows that changed, with the page's order and next-page token. Runs until the
     * browser goes away or the server closes.
     */
    void tuningJobs(HttpExchange exchange, Map<String, String> query) throws IOException {
        ObjectNode page = pages.list(query);   // a bad query: an error answer, before the stream starts
        OutputStream out = open(exchange);
        Map<String, String> sent = new HashMap<>();
        String sentOrder = null;
        long lastWrite = System.currentTimeMillis();
        while (!closed.getAsBoolean()) {
            ArrayNode changed = Http.JSON.createArrayNode();
            ArrayNode order = Http.JSON.createArrayNode();
            Map<String, String> now = new HashMap<>();
            for (JsonNode row : page.path("jobs")) {
                String name = row.path("name").asText();
                String text = Http.JSON.writeValueAsString(row);
                now.put(name, text);
                order.add(name);
                if (!text.equals(sent.get(name))) changed.add(row);
            }
            String orderText = order.toString() + page.path("next").asText("");
            if (!changed.isEmpty() || !orderText.equals(sentOrder)) {
                ObjectNode event = Http.JSON.createObjectNode();
                event.set("rows", changed);
                event.set("order", order);
                if (page.has("next")) event.set("next", page.get("next"));
                event(out, "jobs", null, Http.JSON.writeValueAsString(event));
                sent = now;
                sentOrder = orderText;
                lastWrite = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastWrite > HEARTBEAT_MILLIS) {
                comment(out);
                lastWrite = System.currentTimeMillis();
            }
            if (!pause(LIST_PERIOD_MILLIS)) return;
            page = pages.list(query);
        }
    }

    void tuningJob(HttpExchange exchange, String name) throws IOException {
        TuningJobDetails first = tuning.describe(name);   // not found: an error answer, before the stream starts
        long since = since(exchange);
        OutputStream out = open(exchange);
        String lastHeader = null;
        long lastWrite = System.currentTimeMillis();
        TuningJobDetails d = first;
        while (!closed.getAsBoolean()) {
            ArrayNode changed = Http.JSON.createArrayNode();
            long newest = since;
            for (TrainingJob j : d.progress().jobs()) {
                long modified = j.lastModifiedTime() == null ? 0 : j.lastModifiedTime().toEpochMilli();
                if (modified > since) {
                    changed.add(Rows.row(j));
                    newest = Math.max(newest, modified);
                }
            }
            String header = Http.JSON.writeValueAsString(TuningJobView.header(d));
            if (!header.equals(lastHeader)) {
                event(out, "header", null, header);
                lastHeader = header;
                lastWrite = System.currentTimeMillis();
            }
            if (!changed.isEmpty()) {
                since = newest;
                event(out, "jobs", Long.toString(since), Http.JSON.writeValueAsString(changed));
                lastWrite = System.currentTimeMillis();
            }
            if (d.job().status().isTerminal() && d.progress().running().isEmpty()) {
                event(out, "end", null, "{}");
                return;
            }
            if (System.currentTimeMillis() - lastWrite > HEARTBEAT_MILLIS) {
                comment(out);
                lastWrite = System.currentTimeMillis();
            }
            if (!pause(PERIOD_MILLIS)) return;
            d = tuning.describe(name);
        }
    }

    void trainingJob(HttpExchange exchange, String name) throws IOException {
        TrainingJob job = training.describe(name);
        long offset = parseLong(Http.query(exchange).get("offset"));
        int pointsSent = (int) parseLong(Http.query(exchange).get("points"));
        OutputStream out = open(exchange);
        String lastJob = null;
        long lastWrite = System.currentTimeMillis();
        while (!closed.getAsBoolean()) {
            TrainingJobLog log = training.log(name, offset, LOG_CHUNK);
            job = log.job();
            if (log.bytes().length > 0) {
                offset = log.nextOffset();
                ObjectNode o = Http.JSON.createObjectNode().put("text", new String(log.bytes(), StandardCharsets.UTF_8))
                        .put("offset", offset);
                event(out, "log", null, Http.JSON.writeValueAsString(o));
                lastWrite = System.currentTimeMillis();
            }
            List<MetricPoint> points = training.metricSeries(name);
            if (points.size() > pointsSent) {
                ArrayNode a = Http.JSON.createArrayNode();
                for (MetricPoint p : points.subList(pointsSent, points.size()))
                    a.addArray().add(p.name()).add(p.timestamp().toEpochMilli()).add(p.value());
                pointsSent = points.size();
                event(out, "metrics", null, Http.JSON.writeValueAsString(a));
            }
            JsonNode now = TrainingJobPages.job(job);
            String text = Http.JSON.writeValueAsString(now);
            if (!text.equals(lastJob)) {
                event(out, "job", null, text);
                lastJob = text;
                lastWrite = System.currentTimeMillis();
            }
            if (log.endOfLog() && !job.isRunning()) {
                event(out, "end", null, "{}");
                return;
            }
            if (log.bytes().length == LOG_CHUNK) continue;   // more log waiting: no pause
            if (System.currentTimeMillis() - lastWrite > HEARTBEAT_MILLIS) {
                comment(out);
                lastWrite = System.currentTimeMillis();
            }
            if (!pause(PERIOD_MILLIS)) return;
        }
    }

    private static long since(HttpExchange exchange) {
        String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        return parseLong(lastId != null ? lastId : Http.query(exchange).get("since"));
    }

    private static long parseLong(String s) {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new Http.BadRequest("'" + s + "' is not a number.");
        }
    }

    private static OutputStream open(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        return out;
    }

    private static void event(OutputStream out, String type, String id, String data) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("event: ").append(type).append('\n');
        if (id != null) b.append("id: ").append(id).append('\n');
        for (String line : data.split("\n", -1)) b.append("data: ").append(line).append('\n');
        b.append('\n');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void comment(OutputStream out) throws IOException {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
