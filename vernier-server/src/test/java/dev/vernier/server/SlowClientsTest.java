package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 520 connections from one address that send headers promising a body of 100 bytes, then 10 of them, and wait:
 * the official client from another address is still served, {@code /ping} still answers, the address gets no more
 * than its share, and every such connection is closed once the read timeout has passed.
 */
class SlowClientsTest {
    static final int SLOW_CLIENTS = 520;

    @TempDir
    Path dir;

    @Test
    void halfSentRequestsLockNobodyOutAndAreClosedAfterTheReadTimeout() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                "--request-read-timeout-seconds", "10")) {
            RawClient raw = new RawClient(server.endpoint());
            assertThat(raw.call("ListHyperParameterTuningJobs", "{}").status()).isEqualTo(200);   // warm
            long started = System.nanoTime();
            for (int i = 0; i < SLOW_CLIENTS; i++) sockets.add(halfSent(server.endpoint()));
            Thread.sleep(500);

            // no retries here: the SDK would retry a ThrottlingException until the slow clients were closed
            RawClient.Response r = raw.call("ListHyperParameterTuningJobs", "{}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(server.client().listHyperParameterTuningJobs(q -> {}).hyperParameterTuningJobSummaries()).isEmpty();
            HttpResponse<String> ping = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.endpoint().resolve("/ping")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(System.nanoTime() - started).as("served while the slow clients still hold their connections")
                    .isLessThan(9_000_000_000L);

            int throttled = 0, closed = 0;
            for (Socket socket : sockets) {
                String answer = readUntilClosed(socket);
                if (answer.contains("ThrottlingException")) throttled++;
                closed++;
            }
            assertThat(closed).isEqualTo(SLOW_CLIENTS);
            assertThat(throttled).as("beyond the 64 requests one address may have open").isGreaterThanOrEqualTo(SLOW_CLIENTS - 64);
            assertThat(System.nanoTime() - started).as("closed by the read timeout").isLessThan(40_000_000_000L);
        } finally {
            for (Socket socket : sockets) socket.close();
        }
    }

    private static Socket halfSent(URI endpoint) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SageMaker.ListHyperParameterTuningJobs\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"MaxResul")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Whatever the server sends until it closes the connection (a read timeout here fails the test). */
    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        } catch (java.net.SocketException e) {
            // reset by the server: closed too
        }
        return text.toString();
    }
}
