package dev.vernier.objectstore.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The stream an object is written into: one part's worth of bytes is held in memory; a content
 * that fits in one part becomes one PutObject at {@link #complete()}, a larger one a multipart
 * upload, part by part as the buffer fills. Closing the stream does nothing (a tar or gzip writer
 * closes its stream when done): only {@link #complete()} makes the object, and {@link #abort}
 * throws the parts away.
 */
final class MultipartUpload extends OutputStream {
    private final S3Client client;
    private final String bucket;
    private final String key;
    private final byte[] buffer;
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();

    MultipartUpload(S3Client client, String bucket, String key, int partSize) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == buffer.length) sendPart();
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == buffer.length) sendPart();
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() {
        // see the class comment: completing or aborting is the store's decision
    }

    private RequestBody body() {
        int length = filled;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                "application/octet-stream");
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null)
                uploadId = client.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket).key(key).build())
                        .uploadId();
            int number = parts.size() + 1;
            String eTag = client.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                    .partNumber(number).contentLength((long) filled).build(), body()).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            filled = 0;
        } catch (SdkException e) {
            throw new IOException("uploading s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Makes the object from everything written. */
    void complete() throws IOException {
        try {
            if (uploadId == null) {
                client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) filled).build(), body());
                return;
            }
            if (filled > 0) sendPart();
            client.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key)
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
        } catch (SdkException e) {
            throw new IOException("writing s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Throws away the parts sent so far; a failure to do so is added to {@code cause}. */
    void abort(Exception cause) {
        if (uploadId == null) return;
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
        } catch (SdkException e) {
            cause.addSuppressed(e);
        }
    }
}
