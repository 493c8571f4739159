/**
 * What runs inside a training job's pod besides the training image, in Vernier's own image: staging
 * the input channels before the program starts and uploading its artifacts after it ends, both
 * through the S3 endpoint the pods reach ({@link dev.vernier.backend.kubernetes.pod.PodTasks}).
 */
package dev.vernier.backend.kubernetes.pod;
