package dev.vernier.protocol.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import dev.vernier.protocol.error.ErrorMapping;
import dev.vernier.protocol.json.Json;
import dev.vernier.service.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON 1.1 front door: size limit, authentication, {@code X-Amz-Target} dispatch, JSON
 * parsing, validation, and the one place where errors become AWS error bodies.
 */
public final class ApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String TARGET_PREFIX = "SageMaker.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final Map<String, Operation> operations;
    private final RequestShapes shapes;
    private final RequestAuthenticator authenticator;
    private final int maxRequestBytes;
    /** How much of a refused body is read and dropped before answering; beyond it the connection is simply closed. */
    private static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ClientLimits clients;
    private final HealthCheck health;
    private final Map<String, GetRoute> getRoutes;

    public ApiHandler(Map<String, Operation> operations, Map<String, GetRoute> getRoutes, RequestShapes shapes,
                      RequestAuthenticator authenticator, int maxRequestBytes, int maxInFlight) {
        this(operations, getRoutes, shapes, authenticator, maxRequestBytes, maxInFlight, maxInFlight, HealthCheck.NONE);
    }

    /**
     * @param maxInFlight  requests processed at once (a request holds a slot only once its body has arrived)
     * @param maxPerClient requests open at once from one client address, being received or processed
     * @param health       asked by {@code GET /ping}, with the state of the slots
     */
    public ApiHandler(Map<String, Operation> operations, Map<String, GetRoute> getRoutes, RequestShapes shapes,
                      RequestAuthenticator authenticator, int maxRequestBytes, int maxInFlight, int maxPerClient,
                      HealthCheck health) {
        this.operations = Map.copyOf(operations);
        this.getRoutes = Map.copyOf(getRoutes);
        this.shapes = shapes;
        this.authenticator = authenticator;
        this.maxRequestBytes = maxRequestBytes;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.clients = new ClientLimits(maxPerClient);
        this.health = health;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestURI().getPath().equals("/ping")) {
                ping(exchange);
                return;
            }
            String client = exchange.getRemoteAddress().getAddress().getHostAddress();
            if (!clients.tryEnter(client)) {
                exchange.getResponseHeaders().set("Connection", "close");
                sendError(exchange, new ApiException(ErrorCode.THROTTLING, "Rate exceeded: more than "
                        + clients.maxPerClient() + " requests at once from " + client + "."));
                return;
            }
            try {
                respond(exchange, requestId);
            } finally {
                clients.leave(client);
            }
        }
    }

    /**
     * The body is read before a processing slot is taken: a client that sends slowly, or not at all, holds
     * nothing but its own connection (which the server's read timeout closes), so it cannot lock others out.
     */
    private void respond(HttpExchange exchange, String requestId) throws IOException {
        try {
            byte[] body = readBody(exchange);
            if (!inFlight.tryAcquire()) throw new ApiException(ErrorCode.THROTTLING, "Rate exceeded");
            try {
                send(exchange, 200, Json.write(serve(exchange, body)));
            } finally {
                inFlight.release();
            }
        } catch (ApiException e) {
            sendError(exchange, e);
        } catch (ServiceException e) {
            sendError(exchange, ErrorMapping.toApi(e));
        } catch (RuntimeException e) {
            if (unavailable(e)) {
                LOG.warn("request {}: the database is not reachable: {}", requestId, e.getMessage());
                sendError(exchange, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "The service cannot reach its database right now; retry the request."));
                return;
            }
            LOG.error("request {} failed", requestId, e);
            sendError(exchange, new ApiException(ErrorCode.INTERNAL_FAILURE,
                    "An internal error occurred (request " + requestId + ")."));
        }
    }

    /**
     * {@code GET /ping}, unauthenticated: 200 {@code {"status":"ok"}} when a request would be served now, else
     * 503 with {@code "busy"} (every processing slot taken) or {@code "unavailable"} and what is wrong.
     */
    private void ping(HttpExchange exchange) throws IOException {
        ObjectNode answer = Json.object();
        if (!inFlight.tryAcquire()) {
            answer.put("status", "busy").put("message", "All " + maxInFlight + " request slots are in use.");
            send(exchange, 503, Json.write(answer));
            return;
        }
        Optional<String> problem;
        try {
            problem = health.problem();
        } catch (RuntimeException e) {
            problem = Optional.of(String.valueOf(e.getMessage()));
        } finally {
            inFlight.release();
        }
        if (problem.isPresent()) {
            answer.put("status", "unavailable").put("message", problem.get());
            send(exchange, 503, Json.write(answer));
        } else {
            send(exchange, 200, "{\"status\":\"ok\"}");
        }
    }

    /** The database could not be reached: a retryable error, not an internal one. */
    private static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof dev.vernier.core.store.StoreUnavailableException) return true;
        return false;
    }

    private JsonNode serve(HttpExchange exchange, byte[] body) {
        if (exchange.getRequestMethod().equals("GET")) {
            String path = exchange.getRequestURI().getPath();
            for (Map.Entry<String, GetRoute> route : getRoutes.entrySet()) {
                if (!path.startsWith(route.getKey())) continue;
                authenticator.authenticate("GET", exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
                return route.getValue().get(path.substring(route.getKey().length()), query(exchange.getRequestURI()));
            }
        }
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/"))
            throw new ApiException(ErrorCode.UNKNOWN_OPERATION,
                    "Vernier serves AWS JSON 1.1 requests: POST / with an X-Amz-Target header.");
        authenticator.authenticate(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
        List<String> targets = exchange.getRequestHeaders().getOrDefault("X-Amz-Target", List.of());
        if (targets.size() > 1)
            throw new ApiException(ErrorCode.UNKNOWN_OPERATION, "A request may carry only one X-Amz-Target header.");
        String operation = operationName(targets.isEmpty() ? null : targets.get(0));
        JsonNode request = parse(body);
        ObjectNode canonical = shapes.validateInput(operation, request);
        JsonNode response = operations.get(operation).invoke(canonical);
        return shapes.shapeOutput(operation, response);
    }

    private static Map<String, String> query(java.net.URI uri) {
        Map<String, String> out = new java.util.HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(key, value);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("The query string is not valid percent-encoding: " + e.getMessage());
        }
        return out;
    }

    private String operationName(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX))
            throw new ApiException(ErrorCode.UNKNOWN_OPERATION, "Missing or unknown X-Amz-Target header: "
                    + (target == null ? "(none)" : target) + "; expected SageMaker.<Operation>.");
        String name = target.substring(TARGET_PREFIX.length());
        if (!operations.containsKey(name) || !shapes.hasOperation(name))
            throw new ApiException(ErrorCode.UNKNOWN_OPERATION, "Operation " + name + " is not supported by Vernier.");
        return name;
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(ErrorCode.SERIALIZATION, "Content-Length is not a number.");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (length > maxRequestBytes) throw tooLarge(exchange, in);
            byte[] body = length >= 0 ? readDeclared(in, (int) length) : in.readNBytes(maxRequestBytes + 1);
            if (body.length > maxRequestBytes) throw tooLarge(exchange, in);
            return body;
        }
    }

    /**
     * Reads a body of the declared length into an array of that size: {@code readNBytes(limit)} allocates a
     * 16 KiB buffer per request, a tenth of what a Describe allocates. A body running past its declared length
     * is still read on, up to one byte over the limit, as without a declaration.
     */
    private byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) return body;
        int next = in.read();
        if (next < 0) return body;
        byte[] rest = in.readNBytes(maxRequestBytes - length);
        byte[] all = Arrays.copyOf(body, length + 1 + rest.length);
        all[length] = (byte) next;
        System.arraycopy(rest, 0, all, length + 1, rest.length);
        return all;
    }

    /**
     * Refuses a body over the limit. The rest of it is read and dropped first (up to
     * {@link #DRAIN_LIMIT_BYTES}), and the connection is closed after the answer: a server that
     * answers and closes while the client is still sending resets the connection, and the reset
     * can destroy the answer before the client reads it.
     */
    private ApiException tooLarge(HttpExchange exchange, InputStream in) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        byte[] sink = new byte[16 * 1024];
        long drained = 0;
        for (int n; drained < DRAIN_LIMIT_BYTES && (n = in.read(sink)) > 0; ) drained += n;
        return new ApiException(ErrorCode.REQUEST_TOO_LARGE,
                "Request body is larger than the limit of " + maxRequestBytes + " bytes.");
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) return Json.object();
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) return Json.object();
            if (!node.isObject())
                throw new ApiException(ErrorCode.SERIALIZATION, "The request body must be a JSON object.");
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.SERIALIZATION, "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.SERIALIZATION, "The request body could not be read.");
        }
    }

    private static void sendError(HttpExchange exchange, ApiException e) throws IOException {
        ObjectNode body = Json.object();
        body.put("__type", e.code().wireName());
        body.put("message", e.getMessage());
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.code().wireName());
        send(exchange, e.code().httpStatus(), Json.write(body));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
