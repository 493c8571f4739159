package dev.vernier.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The HTML pages (a shell plus a fragment per page) and the static assets, all read from the jar. */
final class Pages {
    private static final String WEB = "dev/vernier/dashboard/web/";
    /** ECharts as the WebJar on Maven Central ships it. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");

    private record Asset(byte[] plain, byte[] gzipped, String type) {}

    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final Map<String, String> fragments = new ConcurrentHashMap<>();

    String page(String page, String name, Sessions.Session session) {
        String fragment = fragments.computeIfAbsent(page, p -> text(WEB + p + ".html"));
        String title = name.isEmpty() ? "Tuning jobs" : name;
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="csrf-token" content="%s">
                <title>%s · Vernier</title>
                <link rel="icon" href="data:,">
                <link rel="stylesheet" href="%s/assets/app.css">
                %s<script src="%s/assets/echarts.min.js" defer></script>
                <script src="%s/assets/common.js" defer></script>
                <script src="%s/assets/%s.js" defer></script>
                </head><body data-page="%s" data-name="%s">
                <header><a class="brand" href="%s/">Vernier</a><span class="crumbs" id="crumbs"></span>
                <button id="sign-out" class="link">Sign out</button></header>
                <main id="main">%s</main></body></html>
                """.formatted(Http.escape(session.csrfToken()), Http.escape(title), Dashboard.PATH, preload(page, name), Dashboard.PATH,
                Dashboard.PATH, Dashboard.PATH, page, page, Http.escape(name), Dashboard.PATH, fragment);
    }

    /**
     * The tuning-job page's data, asked for while the scripts load rather than after they ran. The URL is the one the
     * page's script fetches (encodeURIComponent of the name), so the browser uses this answer.
     */
    private static String preload(String page, String name) {
        if (!page.equals("tuning-job")) return "";
        String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "<link rel=\"preload\" href=\"" + Http.escape(Dashboard.PATH + "/api/tuning-jobs/" + encoded)
                + "\" as=\"fetch\" crossorigin=\"anonymous\">\n";
    }

    String signIn(String problem) {
        String message = problem == null ? "" : "<p class=\"problem\" id=\"problem\">" + Http.escape(problem) + "</p>";
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Sign in · Vernier</title>
                <link rel="icon" href="data:,">
                <style>body{font:15px system-ui,sans-serif;max-width:26rem;margin:4rem auto;color:#1d2733}
                label{display:block;margin:.8rem 0 .2rem}input{width:100%%;padding:.45rem;box-sizing:border-box}
                button{margin-top:1rem;padding:.5rem 1.2rem}.problem{color:#b3261e}</style></head>
                <body><h1>Vernier</h1>
                <p>Sign in with an access key of this server, or open the one-time link that <code>vernier server</code>
                printed when it started.</p>%s
                <form method="post" action="%s/login">
                <label for="accessKeyId">Access key id</label><input id="accessKeyId" name="accessKeyId" autocomplete="username" required>
                <label for="secretAccessKey">Secret access key</label><input id="secretAccessKey" name="secretAccessKey" type="password" autocomplete="current-password" required>
                <button type="submit" id="sign-in">Sign in</button></form></body></html>
                """.formatted(message, Dashboard.PATH);
    }

    String signedIn(String target) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Signed in · Vernier</title>
                <meta http-equiv="refresh" content="0;url=%s"></head>
                <body><p>Signed in. <a href="%s">Open the dashboard</a>.</p></body></html>
                """.formatted(Http.escape(target), Http.escape(target));
    }

    void asset(HttpExchange exchange, String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null || !name.matches("[a-z0-9.-]+")) {
            Http.error(exchange, 404, "NotFound", "No such asset.");
            return;
        }
        Asset asset = assets.computeIfAbsent(name, n -> {
            byte[] bytes = bytes(n.equals("echarts.min.js") ? ECHARTS : WEB + n);
            return bytes == null ? new Asset(null, null, type) : new Asset(bytes, Http.gzip(bytes), type);
        });
        if (asset.plain() == null) {
            Http.error(exchange, 404, "NotFound", "No such asset.");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
        exchange.getResponseHeaders().set("Content-Type", asset.type());
        byte[] body = asset.plain();
        if (Http.acceptsGzip(exchange)) {
            body = asset.gzipped();
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String text(String resource) {
        byte[] bytes = bytes(resource);
        if (bytes == null) throw new IllegalStateException("missing resource " + resource);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
