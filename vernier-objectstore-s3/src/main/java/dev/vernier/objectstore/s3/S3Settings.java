package dev.vernier.objectstore.s3;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an S3-compatible endpoint.
 *
 * @param endpoint         the endpoint (e.g. {@code http://127.0.0.1:9000} for MinIO); empty: AWS S3 of the region
 * @param region           the region requests are signed for
 * @param pathStyle        {@code http://host/bucket/key} rather than {@code http://bucket.host/key}
 * @param accessKeyId      with {@code secretAccessKey}; empty: the AWS SDK's default credential chain
 *                         (environment, profile, container or instance role)
 * @param secretAccessKey  the secret of {@code accessKeyId}
 * @param partSize         bytes per part of a multipart upload, and the largest object put in one request
 * @param concurrency      objects downloaded at once when a prefix is staged
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, Optional<String> accessKeyId,
                         Optional<String> secretAccessKey, int partSize, int concurrency) {
    /** S3's smallest part (but the last). */
    public static final int MIN_PART_SIZE = 5 << 20;
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    public static final int DEFAULT_CONCURRENCY = 8;

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent())
            throw new IllegalArgumentException("an S3 access key id and its secret must be given together");
        if (partSize < MIN_PART_SIZE) throw new IllegalArgumentException("the part size must be at least 5 MiB");
        if (concurrency < 1) throw new IllegalArgumentException("the download concurrency must be at least 1");
    }

    /** An endpoint with a key pair, path-style, default part size and concurrency. */
    public static S3Settings of(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new S3Settings(Optional.of(endpoint), region, true, Optional.of(accessKeyId), Optional.of(secretAccessKey),
                DEFAULT_PART_SIZE, DEFAULT_CONCURRENCY);
    }
}
