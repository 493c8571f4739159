package dev.vernier.backend.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Decides how an ended run ended, stores its artifacts, and records the result in
 * {@code vernier/result.json} so that every later poll gives the same answer.
 */
final class RunFinisher {
    static final String RESULT_FILE = Wrapper.DIR + "/result.json";
    static final int FAILURE_REASON_MAX = 1024;   // SageMaker's FailureReason limit
    private static final int LAST_LOG_LINES = 10;

    private final ObjectStore objectStore;

    RunFinisher(ObjectStore objectStore) {
        this.objectStore = objectStore;
    }

    static RunResult readResult(Path jobDir) throws IOException {
        Path file = jobDir.resolve(RESULT_FILE);
        if (!Files.exists(file)) return null;
        JsonNode n = JobDirectory.json().readTree(file.toFile());
        return new RunResult(Status.valueOf(n.get("status").asText()),
                SecondaryStatus.valueOf(n.get("secondaryStatus").asText()),
                n.hasNonNull("failureReason") ? n.get("failureReason").asText() : null,
                n.hasNonNull("exitCode") ? n.get("exitCode").asInt() : null,
                n.hasNonNull("modelArtifactUri") ? n.get("modelArtifactUri").asText() : null,
                Instant.parse(n.get("startTime").asText()), Instant.parse(n.get("endTime").asText()));
    }

    /** The result of a run whose wrapper is gone and that recorded an exit code or was asked to stop. */
    RunResult finish(JobDirectory dir, LaunchRecord launch, LaunchRecord.StopRequest stop, Instant now)
            throws IOException {
        Path exitFile = dir.internal(Wrapper.EXIT_CODE);
        Integer exitCode = Files.exists(exitFile) ? parseExitCode(Files.readString(exitFile)) : null;
        Instant end = exitCode != null ? Files.getLastModifiedTime(exitFile).toInstant() : now;
        if (end.isBefore(launch.launchTime())) end = launch.launchTime();
        RunResult result;
        if (stop == null && (exitCode == null || exitCode != 0)) {
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, failureReason(dir, exitCode), exitCode,
                    null, launch.launchTime(), end);
        } else {
            Status status = stop == null ? Status.COMPLETED : Status.STOPPED;
            SecondaryStatus secondary = stop == null ? SecondaryStatus.COMPLETED
                    : stop.cause() == StopCause.MAX_RUNTIME_EXCEEDED ? SecondaryStatus.MAX_RUNTIME_EXCEEDED
                    : SecondaryStatus.STOPPED;
            String model = launch.outputPrefix() + "model.tar.gz";
            try {
                store(dir.model(), model);
                store(dir.outputData(), launch.outputPrefix() + "output.tar.gz");
                result = new RunResult(status, secondary, null, exitCode, model, launch.launchTime(), end);
            } catch (IOException | RuntimeException e) {
                result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, truncate("ClientError: could not store "
                        + "the model artifacts at " + model + ": " + e.getMessage()), exitCode, null,
                        launch.launchTime(), end);
            }
        }
        write(dir.root, result);
        return result;
    }

    /** Packed straight into the store: a temporary copy would cost a file per artifact and job. */
    private void store(Path source, String location) throws IOException {
        objectStore.write(URI.create(location), out -> TarGz.pack(source, out));
    }

    private static Integer parseExitCode(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * SageMaker's rule: the program's {@code output/failure} text, first 1024 characters. Without
     * one: "AlgorithmError: ..." with the exit code and as many of the last log lines as fit.
     */
    static String failureReason(JobDirectory dir, Integer exitCode) throws IOException {
        Path failure = dir.failureFile();
        if (Files.isRegularFile(failure)) {
            String text = readHead(failure, FAILURE_REASON_MAX * 4).strip();
            if (!text.isEmpty()) return truncate(text);
        }
        String head = exitCode == null
                ? "AlgorithmError: the training program ended without recording an exit code"
                : "AlgorithmError: the training program exited with code " + exitCode
                  + (exitCode > 128 && exitCode < 160 ? " (killed by signal " + (exitCode - 128) + ")" : "");
        List<String> lines = lastLines(dir.internal(Wrapper.LOG));
        if (lines.isEmpty()) return head;
        head += ". Last log lines:";
        StringBuilder tail = new StringBuilder();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String candidate = "\n" + lines.get(i) + tail;
            if (head.length() + candidate.length() > FAILURE_REASON_MAX) break;
            tail.insert(0, "\n" + lines.get(i));
        }
        return truncate(head + tail);
    }

    private static List<String> lastLines(Path log) throws IOException {
        if (!Files.exists(log)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - 4096);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> lines = Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\n"))
                    .map(String::stripTrailing).filter(l -> !l.isBlank()).toList();
            if (start > 0 && !lines.isEmpty()) lines = lines.subList(1, lines.size());   // first one is cut
            return lines.subList(Math.max(0, lines.size() - LAST_LOG_LINES), lines.size());
        }
    }

    private static String readHead(Path file, int maxBytes) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
        }
    }

    static String truncate(String text) {
        return text.length() <= FAILURE_REASON_MAX ? text : text.substring(0, FAILURE_REASON_MAX);
    }

    private static void write(Path jobDir, RunResult r) throws IOException {
        ObjectNode n = JobDirectory.json().createObjectNode();
        n.put("status", r.status().name()).put("secondaryStatus", r.secondaryStatus().name())
                .put("failureReason", r.failureReason()).put("modelArtifactUri", r.modelArtifactUri())
                .put("startTime", r.startTime().toString()).put("endTime", r.endTime().toString());
        if (r.exitCode() != null) n.put("exitCode", r.exitCode());
        JobDirectory.writeJson(jobDir.resolve(RESULT_FILE), n);
    }
}
