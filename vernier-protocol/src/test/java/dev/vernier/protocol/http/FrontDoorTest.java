package dev.vernier.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The front door over real sockets: clients that send half a request hold no processing slot, one client address
 * cannot hold more than its share, and {@code /ping} says when requests would not be served.
 */
class FrontDoorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Socket> sockets = new ArrayList<>();
    private ApiServer server;

    private void start(int maxInFlight, int maxPerClient, HealthCheck health) {
        Map<String, Operation> operations = Map.of(
                "Echo", request -> request,
                "Block", request -> {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Json.object();
                });
        RequestShapes shapes = new RequestShapes() {
            @Override
            public boolean hasOperation(String operation) {
                return true;
            }

            @Override
            public ObjectNode validateInput(String operation, JsonNode body) {
                return (ObjectNode) body;
            }

            @Override
            public ObjectNode shapeOutput(String operation, JsonNode response) {
                return (ObjectNode) response;
            }
        };
        ApiHandler handler = new ApiHandler(operations, Map.of(), shapes, (m, p, q, h, b) -> {}, 1 << 20, maxInFlight,
                maxPerClient, health);
        server = ApiServer.bind("127.0.0.1", 0, Optional.empty(), Duration.ofSeconds(30));
        server.start(handler);
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    @Test
    void clientsThatSendHalfARequestHoldNoProcessingSlot() throws Exception {
        start(2, 100, HealthCheck.NONE);
        for (int i = 0; i < 10; i++) halfSent("127.0.0.1");
        Thread.sleep(200);   // let the server hand every one of them to a handler

        HttpResponse<String> r = post("Echo", "{\"a\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"a\":1}");
        assertThat(get("/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void oneClientAddressCannotHoldMoreThanItsShare() throws Exception {
        start(512, 3, HealthCheck.NONE);
        for (int i = 0; i < 3; i++) halfSent("127.0.0.2");
        Thread.sleep(200);

        Socket fourth = halfSent("127.0.0.2");
        String answer = readResponse(fourth);
        assertThat(answer).contains("ThrottlingException").contains("more than 3 requests at once from 127.0.0.2");
        assertThat(post("Echo", "{}").statusCode()).as("another address is served").isEqualTo(200);
    }

    @Test
    void pingIsBusyWhileEveryProcessingSlotIsTaken() throws Exception {
        start(1, 100, HealthCheck.NONE);
        CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() -> post("Block", "{}"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> ping = get("/ping");
        assertThat(ping.statusCode()).isEqualTo(503);
        assertThat(ping.body()).contains("\"status\":\"busy\"");
        release.countDown();
        assertThat(blocked.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/ping").body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void pingIsUnavailableWhenTheHealthCheckFindsAProblem() {
        start(4, 100, () -> Optional.of("The store cannot be read: disk I/O error"));
        HttpResponse<String> ping = get("/ping");
        assertThat(ping.statusCode()).isEqualTo(503);
        assertThat(ping.body()).contains("\"status\":\"unavailable\"").contains("disk I/O error");
    }

    /** Headers that promise a body of 100 bytes, then 10 of them, from {@code source}; the socket stays open. */
    private Socket halfSent(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SageMaker.Echo\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"a\":\"0123")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** One HTTP response, read by its Content-Length (the server may keep the connection open to drain the body). */
    static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        int end = -1;
        while (end < 0) {
            int b = in.read();
            if (b < 0) return text.toString();
            text.append((char) b);
            end = text.indexOf("\r\n\r\n");
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return text + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(String operation, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("X-Amz-Target", "SageMaker." + operation).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
