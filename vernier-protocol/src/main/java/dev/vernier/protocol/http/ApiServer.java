package dev.vernier.protocol.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP listener: the JDK's built-in server on virtual threads. It has no dependency, handles
 * keep-alive, and measured well above the throughput Vernier needs (docs/benchmarks.md).
 */
public final class ApiServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ApiServer start(String bindAddress, int port, HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", handler);
            server.start();
            return new ApiServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Serves the paths under {@code path} with {@code handler} instead (e.g. the web dashboard), on the same port. */
    public void mount(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
