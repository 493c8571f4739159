package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Small helpers over the JDK's HttpExchange: answers, query and form parsing, cookies. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Every page may load only from this server: scripts and styles from the jar, data from the
     * dashboard's JSON endpoints. ECharts sets inline styles on its tooltips, hence 'unsafe-inline'
     * for styles (not for scripts).
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Http() {}

    static void securityHeaders(HttpExchange exchange) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cache-Control", "no-store");
    }

    /** Bodies larger than this are sent gzipped to browsers that accept it. */
    private static final int GZIP_ABOVE = 4096;

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        send(exchange, status, contentType, body, body.length > GZIP_ABOVE && acceptsGzip(exchange) ? gzip(body) : null);
    }

    /** Sends {@code gzipped} (the body, compressed already) instead of {@code body} to a browser that accepts it. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body, byte[] gzipped) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (gzipped != null && acceptsGzip(exchange)) {
            body = gzipped;
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length == 0) return;
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static boolean acceptsGzip(HttpExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        return accept != null && accept.contains("gzip");
    }

    static byte[] gzip(byte[] body) {
        var out = new java.io.ByteArrayOutputStream(body.length / 4 + 64);
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void html(HttpExchange exchange, int status, String html) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, JSON.createObjectNode().put("__type", code).put("message", message));
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    static Map<String, String> query(HttpExchange exchange) {
        return decodeForm(exchange.getRequestURI().getRawQuery());
    }

    static Map<String, String> decodeForm(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** The request body, at most {@code max} bytes; null when it is longer. */
    static byte[] body(HttpExchange exchange, int max) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(max + 1);
            return bytes.length > max ? null : bytes;
        }
    }

    static String cookie(HttpExchange exchange, String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    static boolean isTls(HttpExchange exchange) {
        return exchange instanceof HttpsExchange;
    }

    static int intParam(Map<String, String> query, String name, int fallback, int min, int max) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be an integer, not '" + v + "'.");
        }
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A client error, answered 400 with the message (naming the parameter). */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
