package dev.vernier.objectstore.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A directory store served over the S3 protocol: S3Proxy, in-process, over jclouds' filesystem
 * blob store, which keeps {@code s3://bucket/key} as the file {@code <root>/bucket/key} just as the
 * directory store does. So {@code aws s3 cp} and the SageMaker Python SDK's uploads fill the very
 * folders that training jobs stage from. Requests are signed with one access key (SigV2 or SigV4).
 * Directories are no objects in recursive listings ({@link ObjectsOnlyListings}).
 */
public final class S3ProtocolServer implements AutoCloseable {
    /** Bytes of a request that is signed whole (not in aws-chunked encoding), which S3Proxy holds in memory to check. */
    private static final long MAX_NON_CHUNKED_REQUEST = 32L << 20;

    private final S3Proxy proxy;
    private final BlobStoreContext blobs;
    private final URI endpoint;

    private S3ProtocolServer(S3Proxy proxy, BlobStoreContext blobs, URI endpoint) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.endpoint = endpoint;
    }

    /**
     * Serves {@code root} on {@code host:port} (port 0: a free port).
     *
     * @throws IOException when the directory cannot be made or the port cannot be bound
     */
    public static S3ProtocolServer start(Path root, String host, int port, String accessKeyId, String secretAccessKey)
            throws IOException {
        Files.createDirectories(root);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", root.toAbsolutePath().normalize().toString());
        BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new ObjectsOnlyListings(blobs.getBlobStore()))
                .endpoint(URI.create("http://" + shown(host) + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                .v4MaxNonChunkedRequestSize(MAX_NON_CHUNKED_REQUEST)
                .ignoreUnknownHeaders(true)
                .jettyMaxThreads(32)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) throw new IOException("the S3 endpoint failed to start");
                Thread.sleep(5);
            }
        } catch (Exception e) {
            try {
                proxy.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            blobs.close();
            if (e instanceof IOException io) throw io;
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IOException("cannot serve " + root + " over S3 on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new S3ProtocolServer(proxy, blobs, URI.create("http://" + shown(host) + ":" + proxy.getPort()));
    }

    /** A host as it stands in a URI (an IPv6 address in brackets). */
    private static String shown(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Where clients send S3 requests, e.g. {@code http://127.0.0.1:8081}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopping a server that is going away anyway: nothing to recover
        } finally {
            blobs.close();
        }
    }
}
