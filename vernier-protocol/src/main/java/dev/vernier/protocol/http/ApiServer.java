package dev.vernier.protocol.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The HTTP listener: the JDK's built-in server on virtual threads. It has no dependency, handles
 * keep-alive, and measured well above the throughput Vernier needs (docs/benchmarks.md).
 *
 * <p>It is bound first and started later ({@link #bind}, then {@link #start}), so that a server whose port is
 * taken stops before it has created anything. A request must arrive whole, headers and body, within the read
 * timeout, else its connection is closed: the JDK server's {@code sun.net.httpserver.maxReqTime}, which the JDK
 * reads once per process, so the first server of a process sets it (unless given as a system property).
 */
public final class ApiServer implements AutoCloseable {
    private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

    private final HttpServer server;
    private final boolean https;
    private ExecutorService executor;

    private ApiServer(HttpServer server, boolean https) {
        this.server = server;
        this.https = https;
    }

    /** A port that is taken, or an address this machine does not have. */
    public static final class BindFailure extends RuntimeException {
        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Plain HTTP, bound and started at once, with the default read timeout. */
    public static ApiServer start(String bindAddress, int port, HttpHandler handler) {
        ApiServer server = bind(bindAddress, port, Optional.empty(), Duration.ofSeconds(20));
        server.start(handler);
        return server;
    }

    /**
     * Binds the listening socket (HTTPS when {@code tls} is given) without serving anything yet.
     *
     * @throws BindFailure when the address or port cannot be had
     */
    public static ApiServer bind(String bindAddress, int port, Optional<SSLContext> tls, Duration readTimeout) {
        if (System.getProperty(MAX_REQUEST_TIME) == null)
            System.setProperty(MAX_REQUEST_TIME, Long.toString(Math.max(1, readTimeout.toSeconds())));
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        try {
            if (tls.isPresent()) {
                HttpsServer server = HttpsServer.create(address, 1024);
                server.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
                return new ApiServer(server, true);
            }
            return new ApiServer(HttpServer.create(address, 1024), false);
        } catch (BindException e) {
            throw new BindFailure("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Serves {@code handler} on the bound socket. */
    public void start(HttpHandler handler) {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /** Serves the paths under {@code path} with {@code handler} instead (e.g. the web dashboard), on the same port. */
    public void mount(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return https ? "https" : "http";
    }

    @Override
    public void close() {
        server.stop(0);
        if (executor != null) executor.shutdownNow();
    }
}
