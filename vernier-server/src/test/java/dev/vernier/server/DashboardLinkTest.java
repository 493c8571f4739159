package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vernier server} prints a one-time link that signs a browser in to the dashboard. */
class DashboardLinkTest {
    private static final Pattern LINK = Pattern.compile("Dashboard \\(one-time sign-in link\\): (http://127\\.0\\.0\\.1:\\d+/dashboard/login\\?token=[A-Za-z0-9_-]{43})\n");

    @TempDir
    Path dir;

    @Test
    void theServerPrintsASignInLinkThatWorksOnce() throws Exception {
        Path output = dir.resolve("server.out");
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), output)) {
            Matcher m = LINK.matcher("");
            for (int i = 0; i < 100 && !m.find(); i++) {
                Thread.sleep(50);
                m = LINK.matcher(Files.readString(output));
            }
            assertThat(m.find(0)).as(Files.readString(output)).isTrue();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/dashboard/api/tuning-jobs"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"jobs\"");
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(403);
        }
    }
}
