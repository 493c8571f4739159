package dev.vernier.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Closed-loop Describe load: {@code connections} keep-alive sockets, one thread each, every request
 * signed live with the AWS SDK's {@link AwsV4HttpSigner} (so the server verifies a fresh signature
 * each time), cycling over jobs {@code bench-0000..}. Raw HTTP/1.1 over sockets keeps the client's
 * own CPU small on a machine it shares with the server. Latency is from writing the request to
 * reading the whole response; signing is not in it.
 *
 * <pre>java dev.vernier.bench.DescribeLoad --endpoint http://127.0.0.1:PORT [--jobs 1000]
 *     [--connections 32] [--warmup 10] [--duration 20] [--runs 3] [--server-pid PID]</pre>
 * Keys from VERNIER_ACCESS_KEY_ID / VERNIER_SECRET_ACCESS_KEY. Used by bench/describe-throughput.sh.
 */
public final class DescribeLoad {
    private static final String TARGET = "SageMaker.DescribeHyperParameterTuningJob";

    private final URI endpoint;
    private final int jobs;
    private final AwsCredentialsIdentity identity;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    private DescribeLoad(URI endpoint, int jobs, AwsCredentialsIdentity identity) {
        this.endpoint = endpoint;
        this.jobs = jobs;
        this.identity = identity;
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = null;
        int jobs = 1000, connections = 32, warmup = 10, duration = 20, runs = 3;
        long serverPid = -1;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(args[i + 1]);
                case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--duration" -> duration = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--server-pid" -> serverPid = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (endpoint == null) throw new IllegalArgumentException("--endpoint is required");
        DescribeLoad load = new DescribeLoad(endpoint, jobs, AwsCredentialsIdentity.create(
                System.getenv("VERNIER_ACCESS_KEY_ID"), System.getenv("VERNIER_SECRET_ACCESS_KEY")));
        load.run(connections, warmup);
        List<Result> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            double cpuBefore = serverCpuSeconds(serverPid);
            Result result = load.run(connections, duration);
            double serverCpu = serverCpuSeconds(serverPid) - cpuBefore;
            System.out.printf("  run %d c=%d: %s%s%n", r, connections, result, serverPid < 0 ? ""
                    : String.format(" server_cpu_us_per_call=%.0f", serverCpu * 1e6 / result.calls()));
            results.add(result);
        }
        System.out.printf("%-12d %10.0f %9.2f %9.2f %9.2f %9.2f   (median of %d runs%s)%n", connections,
                median(results, Result::rps), median(results, Result::p50), median(results, Result::p90),
                median(results, Result::p99), median(results, Result::max), runs,
                results.stream().anyMatch(x -> x.errors > 0) ? "; ERRORS" : "");
    }

    record Result(long calls, double seconds, long errors, double p50, double p90, double p99, double max) {
        double rps() {
            return calls / seconds;
        }

        @Override
        public String toString() {
            return String.format("calls=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d",
                    calls, rps(), p50, p90, p99, max, errors);
        }
    }

    /** utime + stime of a process from /proc (Linux), or 0 when no pid is given. */
    private static double serverCpuSeconds(long pid) throws IOException {
        if (pid < 0) return 0;
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // fields 14, 15; USER_HZ = 100
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = results.stream().mapToDouble(f).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    private Result run(int connections, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        Thread[] threads = new Thread[connections];
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            int id = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                int job = (id * 97) % jobs;
                try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                    while (System.nanoTime() < deadline) {
                        byte[] request = signedRequest(String.format("bench-%04d", job));
                        job = (job + 1) % jobs;
                        long t0 = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        long elapsed = System.nanoTime() - t0;
                        if (status != 200) errors.incrementAndGet();
                        if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
                        mine[n++] = elapsed;
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    System.err.println("connection " + id + ": " + e);
                }
                latencies[id] = mine;
                counts[id] = n;
            });
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Result(total, elapsed, errors.get(), percentile(all, 50), percentile(all, 90),
                percentile(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private byte[] signedRequest(String jobName) {
        byte[] body = ("{\"HyperParameterTuningJobName\":\"" + jobName + "\"}").getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(endpoint).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(unsigned)
                .payload(() -> new ByteArrayInputStream(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        head.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length"))
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
        });
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    /** Reads one HTTP/1.1 response with a Content-Length body (what the server sends) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
        }
        if (length < 0) throw new IOException("response without Content-Length: " + statusLine);
        in.skipNBytes(length);
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("connection closed by server");
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }
}
