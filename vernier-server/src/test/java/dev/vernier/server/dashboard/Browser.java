package dev.vernier.server.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal HTTP client that keeps the dashboard's session cookie and CSRF token, as a browser would. */
final class Browser {
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    String cookie;
    String csrf;

    Browser(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET();
        if (cookie != null) b.header("Cookie", cookie);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body, String csrfToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) b.header("Cookie", cookie);
        if (csrfToken != null) b.header("X-CSRF-Token", csrfToken);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Takes the session cookie the answer sets, and the CSRF token of the dashboard's first page. */
    void keepSession(HttpResponse<?> answer) throws Exception {
        String set = answer.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = set.substring(0, set.indexOf(';'));
        Matcher m = CSRF.matcher(get("/dashboard/").body());
        if (!m.find()) throw new AssertionError("no CSRF token on the dashboard's page");
        csrf = m.group(1);
    }
}
