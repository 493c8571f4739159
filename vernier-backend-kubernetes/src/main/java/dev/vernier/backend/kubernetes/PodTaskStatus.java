package dev.vernier.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Objects;

/** How the pod's own tasks ({@link PodTaskContainers}) are doing, read from the pod's status. */
final class PodTaskStatus {
    private PodTaskStatus() {}

    /**
     * How the upload went, as far as can be known.
     *
     * @param known    whether the upload container's end was seen (false once its pod is gone)
     * @param exitCode its exit code, when known
     * @param message  its termination message, when known
     */
    record Upload(boolean known, Integer exitCode, String message) {
        static final Upload GONE = new Upload(false, null, null);

        /** Why the upload failed, or null. */
        String failure() {
            return known && !Objects.equals(exitCode, 0)
                    ? "upload container exited with code " + exitCode + (message == null ? "" : ": " + message) : null;
        }
    }

    /** The upload's end: unknown while it runs or when there is no pod, or when the Job has no upload. */
    static Upload upload(Pod pod) {
        ContainerStateTerminated t = terminated(pod, JobSpecs.UPLOAD);
        return t == null ? Upload.GONE : new Upload(true, t.getExitCode(), t.getMessage());
    }

    /** Whether nothing is left to wait for before the run's end is read: no upload, or it has ended. */
    static boolean uploadEnded(Job job, Pod pod) {
        return uploadPrefix(job) == null || pod == null || terminated(pod, JobSpecs.UPLOAD) != null
                || pod.getStatus() != null && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase());
    }

    /** The S3 prefix the Job's upload container stores to, or null when it has none. */
    static String uploadPrefix(Job job) {
        List<Container> init = job.getSpec().getTemplate().getSpec().getInitContainers();
        if (init == null) return null;
        return init.stream().filter(c -> c.getName().equals(JobSpecs.UPLOAD)).map(c -> c.getArgs().get(1))
                .findFirst().orElse(null);
    }

    /** The staging init container's end, when it failed. */
    static ContainerStateTerminated failedStaging(Pod pod) {
        ContainerStateTerminated t = terminated(pod, JobSpecs.STAGE);
        return t != null && t.getExitCode() != null && t.getExitCode() != 0 ? t : null;
    }

    /** An init container that cannot start (its image cannot be pulled, ...), or null. */
    static ContainerStateWaiting imageFailure(Pod pod) {
        return initStatuses(pod).stream()
                .map(s -> s.getState() == null ? null : s.getState().getWaiting())
                .filter(w -> w != null && KubernetesTrainingBackend.IMAGE_FAILURES.contains(w.getReason()))
                .findFirst().orElse(null);
    }

    private static ContainerStateTerminated terminated(Pod pod, String container) {
        return initStatuses(pod).stream().filter(s -> container.equals(s.getName()))
                .map(s -> s.getState() == null ? null : s.getState().getTerminated())
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static List<ContainerStatus> initStatuses(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) return List.of();
        return pod.getStatus().getInitContainerStatuses();
    }
}
