package dev.vernier.objectstore.s3;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.objectstore.StagedPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/key} locations on an S3-compatible endpoint, through the AWS SDK for Java v2.
 * Objects stream through in bounded memory: staging copies each object's body to its file, and a
 * write is sent as one PutObject when it fits in one part, else as a multipart upload of
 * {@link S3Settings#partSize()} parts, completed only when the content was written whole (and
 * aborted otherwise), so readers never see part of an object. {@code file://} locations are not
 * served here (the server routes them to the directory store).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    private final S3Client client;
    private final int partSize;
    private final ExecutorService downloads;
    private final int concurrency;

    public S3ObjectStore(S3Client client, int partSize, int concurrency) {
        this.client = client;
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.downloads = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().daemon().name("s3-download-", 0).factory());
    }

    /** A store with its own client, built from {@code settings}. */
    public static S3ObjectStore open(S3Settings settings) {
        return new S3ObjectStore(client(settings), settings.partSize(), settings.concurrency());
    }

    /**
     * An S3 client for {@code settings}. Checksums are computed and validated only where S3 requires
     * them: S3-compatible servers (MinIO, Ceph, S3Proxy) do not all know the newer checksum headers.
     */
    public static S3Client client(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                        settings.secretAccessKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(settings.concurrency() * 2, 16)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public boolean handles(URI location) {
        return S3Location.isS3(location);
    }

    @Override
    public int copyPrefixTo(URI prefix, Path targetDir) throws IOException {
        S3Location at = S3Location.of(prefix);
        Semaphore slots = new Semaphore(concurrency);
        List<Future<?>> copies = new ArrayList<>();
        try {
            ListObjectsV2Request list = ListObjectsV2Request.builder().bucket(at.bucket()).prefix(at.key()).build();
            for (S3Object object : client.listObjectsV2Paginator(list).contents()) {
                if (object.key().endsWith("/")) continue;   // a "folder" marker, no data
                Path target = StagedPaths.inside(targetDir, StagedPaths.relativeToPrefix(
                        object.key().substring(at.directory().length()), at.namePrefix()), "object key");
                slots.acquire();
                copies.add(downloads.submit(() -> {
                    try {
                        download(at.bucket(), object.key(), target);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> copy : copies) copy.get();
            return copies.size();
        } catch (SdkException e) {
            throw new IOException("listing " + prefix + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("staging " + prefix + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("staging " + prefix + ": " + e.getCause(), e.getCause());
        } finally {
            for (Future<?> copy : copies) copy.cancel(true);
        }
    }

    private void download(String bucket, String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            throw new IOException("reading s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void copyObjectTo(URI location, Path target) throws IOException {
        S3Location at = S3Location.of(location);
        if (at.key().isEmpty() || at.key().endsWith("/"))
            throw new IllegalArgumentException("an object location needs a key that does not end with '/': " + location);
        try {
            download(at.bucket(), at.key(), target.toAbsolutePath());
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchKeyException)
                throw new NoSuchFileException(location.toString(), null, "no such object");
            throw e;
        }
    }

    /** The object's bytes, streamed; the caller closes the stream. */
    public InputStream open(URI location) throws IOException {
        S3Location at = S3Location.of(location);
        try {
            return client.getObject(GetObjectRequest.builder().bucket(at.bucket()).key(at.key()).build());
        } catch (SdkException e) {
            throw new IOException("reading " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(URI location, Content content) throws IOException {
        S3Location at = S3Location.of(location);
        if (at.key().isEmpty() || at.key().endsWith("/"))
            throw new IllegalArgumentException("an object location needs a key that does not end with '/': " + location);
        MultipartUpload upload = new MultipartUpload(client, at.bucket(), at.key(), partSize);
        try {
            content.writeTo(upload);
            upload.complete();
        } catch (IOException | RuntimeException e) {
            upload.abort(e);
            throw e;
        }
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        client.close();
    }
}
