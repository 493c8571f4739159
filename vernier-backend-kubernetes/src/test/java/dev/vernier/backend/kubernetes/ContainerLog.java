package dev.vernier.backend.kubernetes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's log as a container runtime keeps it and the kubelet serves it: records, each a line
 * (or, past {@link #LINE_LIMIT}, a part of one) with the time the runtime read it. A line without
 * its newline waits until the newline comes, the limit is reached, or the output ends (it is then
 * served with a newline, as the kubelet does). Kept in memory ({@link #print}) or in a file in the
 * CRI format ({@code <time> stdout F|P <bytes>}), written by {@link #pump} from a process's output.
 * {@link #serve} answers {@code pods/<name>/log} with its {@code timestamps} and {@code sinceTime}
 * (whole seconds: what the API server passes on to the kubelet).
 */
final class ContainerLog {
    /** containerd's default max_container_log_line_size. */
    static final int LINE_LIMIT = 16 * 1024;

    record Record(Instant time, boolean full, byte[] bytes) {}

    private final List<Record> records = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The container writes {@code text} to stdout or stderr. */
    synchronized void print(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b == '\n') flush(true);
            else {
                pending.write(b);
                if (pending.size() == LINE_LIMIT) flush(false);
            }
        }
    }

    /** A whole line read at {@code time}. */
    synchronized void add(Instant time, String line) {
        records.add(new Record(time, true, line.getBytes(StandardCharsets.UTF_8)));
    }

    /** The kubelet rotates the log: it serves only what comes after. */
    synchronized void rotate() {
        records.clear();
    }

    /** The container has exited: a last line without its newline becomes a record. */
    synchronized void end() {
        if (pending.size() > 0) flush(true);
    }

    private void flush(boolean full) {
        records.add(new Record(Instant.now(), full, pending.toByteArray()));
        pending.reset();
    }

    synchronized byte[] serve(String query) {
        return render(records, query);
    }

    /** The answer to a read with {@code query} of a log kept in CRI format in {@code file}. */
    static byte[] serve(Path file, String query) throws IOException {
        List<Record> records = new ArrayList<>();
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') continue;
            int time = indexOf(all, ' ', start), stream = indexOf(all, ' ', time + 1), tag = indexOf(all, ' ', stream + 1);
            records.add(new Record(Instant.parse(new String(all, start, time - start, StandardCharsets.US_ASCII)),
                    all[stream + 1] == 'F', java.util.Arrays.copyOfRange(all, tag + 1, i)));
            start = i + 1;
        }
        return render(records, query);
    }

    private static int indexOf(byte[] bytes, char c, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == c) return i;
        return -1;
    }

    private static byte[] render(List<Record> records, String query) {
        boolean timestamps = parameter(query, "timestamps").equals("true");
        String sinceTime = parameter(query, "sinceTime");
        Instant since = sinceTime.isEmpty() ? null : Instant.parse(sinceTime).truncatedTo(ChronoUnit.SECONDS);
        var out = new ByteArrayOutputStream();
        for (Record r : records) {
            if (since != null && r.time().isBefore(since)) continue;
            if (timestamps) out.writeBytes((r.time() + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(r.bytes());
            if (r.full()) out.write('\n');
        }
        return out.toByteArray();
    }

    private static String parameter(String query, String name) {
        if (query == null) return "";
        for (String p : query.replaceFirst("^\\?", "").split("&"))
            if (p.startsWith(name + "=")) return java.net.URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
        return "";
    }

    /**
     * Copies a process's output into {@code file} as a container runtime does, a record per line (or
     * part of one past the limit), until the output ends; its last line gets a record then.
     */
    static Thread pump(InputStream output, Path file, String name) {
        Thread t = new Thread(() -> {
            try (InputStream in = output; OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
                var line = new ByteArrayOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    if (b == '\n') write(out, line, true);
                    else {
                        line.write(b);
                        if (line.size() == LINE_LIMIT) write(out, line, false);
                    }
                }
                if (line.size() > 0) write(out, line, true);
            } catch (IOException e) {
                // the process is gone
            }
        }, "log of " + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void write(OutputStream out, ByteArrayOutputStream line, boolean full) throws IOException {
        out.write((Instant.now() + " stdout " + (full ? "F " : "P ")).getBytes(StandardCharsets.US_ASCII));
        line.writeTo(out);
        out.write('\n');
        out.flush();
        line.reset();
    }
}
