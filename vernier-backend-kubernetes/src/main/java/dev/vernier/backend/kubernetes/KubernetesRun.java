package dev.vernier.backend.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.run.StopRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The handle of a run on Kubernetes: where its Job is, how far its log has been parsed, the first
 * stop request and, once it has ended, its result (the Job and its pod are deleted later, so the
 * result must outlive them). Metric definitions and MaxRuntimeInSeconds live in the Job's annotations.
 *
 * @param namespace    the Job's namespace
 * @param job          the Job's (and ConfigMap's) name, {@link JobSpecs#name}; with several hosts the
 *                     ConfigMap's, each host's Job being {@code <job>-algo-k}
 * @param trainingJob  the SageMaker training job name
 * @param launchTime   when it was launched (its Job's creation)
 * @param modelUri     where the pod's upload puts model.tar.gz, or null when the pod uploads nothing
 * @param logOffset    where the next parse of the saved log starts
 * @param inLongLine   the parse stopped inside a line longer than the metric line limit
 * @param stop         the first stop request, or null
 * @param result       how it ended, or null while it runs
 * @param hosts        InstanceCount: the number of hosts, each a Job of its own when more than one
 */
public record KubernetesRun(String namespace, String job, String trainingJob, Instant launchTime, String modelUri, long logOffset, boolean inLongLine,
                            StopRequest stop, RunResult result, int hosts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public KubernetesRun withLog(long offset, boolean longLine) {
        return new KubernetesRun(namespace, job, trainingJob, launchTime, modelUri, offset, longLine, stop, result, hosts);
    }

    public KubernetesRun withStop(StopRequest request) {
        return new KubernetesRun(namespace, job, trainingJob, launchTime, modelUri, logOffset, inLongLine, request, result, hosts);
    }

    public KubernetesRun withResult(RunResult ended) {
        return new KubernetesRun(namespace, job, trainingJob, launchTime, modelUri, logOffset, inLongLine, stop, ended, hosts);
    }

    /** The Jobs of the run, algo-1's first: {@link #job} itself for one host. */
    public java.util.List<String> jobs() {
        if (hosts <= 1) return java.util.List.of(job);
        return java.util.stream.IntStream.rangeClosed(1, hosts).mapToObj(k -> job + "-algo-" + k).toList();
    }

    public RunHandle handle() {
        ObjectNode n = JSON.createObjectNode();
        n.put("backend", "kubernetes").put("namespace", namespace).put("job", job).put("trainingJob", trainingJob)
                .put("launchTime", launchTime.toString())
                .put("logOffset", logOffset);
        if (modelUri != null) n.put("modelUri", modelUri);
        if (inLongLine) n.put("inLongLine", true);
        if (hosts > 1) n.put("hosts", hosts);
        if (stop != null) n.putObject("stop").put("at", stop.at().toString()).put("cause", stop.cause().name());
        if (result != null) {
            ObjectNode r = n.putObject("result");
            r.put("status", result.status().name()).put("secondaryStatus", result.secondaryStatus().name())
                    .put("startTime", result.startTime().toString()).put("endTime", result.endTime().toString());
            if (result.failureReason() != null) r.put("failureReason", result.failureReason());
            if (result.exitCode() != null) r.put("exitCode", result.exitCode());
            if (result.modelArtifactUri() != null) r.put("modelArtifactUri", result.modelArtifactUri());
        }
        return new RunHandle(n.toString());
    }

    public static KubernetesRun of(RunHandle handle) {
        try {
            JsonNode n = JSON.readTree(handle.value());
            if (n == null || !"kubernetes".equals(n.path("backend").asText()))
                throw new IllegalArgumentException("not a handle of the kubernetes backend: " + handle.value());
            JsonNode s = n.get("stop");
            StopRequest stop = s == null ? null
                    : new StopRequest(Instant.parse(s.get("at").asText()), StopCause.valueOf(s.get("cause").asText()));
            JsonNode r = n.get("result");
            RunResult result = r == null ? null : new RunResult(RunResult.Status.valueOf(r.get("status").asText()),
                    RunResult.SecondaryStatus.valueOf(r.get("secondaryStatus").asText()),
                    r.has("failureReason") ? r.get("failureReason").asText() : null,
                    r.has("exitCode") ? r.get("exitCode").asInt() : null,
                    r.has("modelArtifactUri") ? r.get("modelArtifactUri").asText() : null,
                    Instant.parse(r.get("startTime").asText()), Instant.parse(r.get("endTime").asText()));
            return new KubernetesRun(n.get("namespace").asText(), n.get("job").asText(), n.get("trainingJob").asText(),
                    Instant.parse(n.get("launchTime").asText()), n.path("modelUri").isTextual() ? n.get("modelUri").asText() : null,
                    n.get("logOffset").asLong(), n.path("inLongLine").asBoolean(false), stop, result,
                    n.path("hosts").asInt(1));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable kubernetes run handle", e);
        }
    }
}
