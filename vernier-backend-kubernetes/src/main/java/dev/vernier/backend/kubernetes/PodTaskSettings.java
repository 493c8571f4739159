package dev.vernier.backend.kubernetes;

/**
 * What a training pod needs to stage its channels and upload its artifacts itself: Vernier's image
 * (which holds {@link dev.vernier.backend.kubernetes.pod.PodTasks}) and the object store as the pods
 * reach it. Without an image (setting {@code kubernetes-image} empty) nothing is staged or uploaded.
 *
 * @param image       Vernier's image, e.g. {@code registry.example/vernier:0.1.0}
 * @param s3Endpoint  the S3 endpoint as pods reach it; empty: AWS S3 of {@code region}
 * @param region      the region S3 requests are signed for
 * @param s3Secret    a Secret with {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; empty:
 *                    the AWS SDK's default chain in the pod (e.g. a pod identity)
 */
public record PodTaskSettings(String image, String s3Endpoint, String region, String s3Secret) {
    /** No image: the pods stage and upload nothing. */
    public static final PodTaskSettings NONE = new PodTaskSettings("", "", "us-east-1", "");

    public boolean enabled() {
        return image != null && !image.isBlank();
    }
}
