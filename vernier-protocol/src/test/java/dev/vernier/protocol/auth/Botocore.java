package dev.vernier.protocol.auth;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs python3 with botocore, the signer of boto3 and the AWS CLI; tests using it are skipped where it is absent. */
final class Botocore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIGN = """
            import json, sys, datetime
            import botocore.auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            spec = json.load(sys.stdin)
            at = datetime.datetime.strptime(spec['at'], '%Y%m%dT%H%M%SZ')
            botocore.auth.get_current_datetime = lambda *args, **kwargs: at
            request = AWSRequest(method=spec['method'], url=spec['url'], data=spec['body'].encode('utf-8'))
            for name, value in spec['headers']:
                request.headers[name] = value  # assigning twice adds a second header line
            botocore.auth.SigV4Auth(Credentials(spec['id'], spec['secret']), 'sagemaker', spec['region']).add_auth(request)
            # request.headers, not prepare()'s, which would fold repeated headers into one
            print(json.dumps({'url': request.prepare().url, 'headers': list(request.headers.items())}))
            """;

    private Botocore() {}

    static void assumeAvailable() {
        assumeTrue(isAvailable(), "python3 with botocore is not installed here, so botocore-signed requests are not checked");
    }

    static boolean isAvailable() {
        try {
            return run(List.of("python3", "-c", "import botocore"), "").exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Signs like boto3 / AWS CLI v1 do ({@code botocore.auth.SigV4Auth}), at a fixed time. */
    static SignedWireRequest sign(String method, String url, List<List<String>> headers, String body, AccessKey key,
                                  String region, Instant at) throws IOException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("method", method);
        spec.put("url", url);
        spec.put("headers", headers);
        spec.put("body", body);
        spec.put("id", key.id());
        spec.put("secret", key.secret());
        spec.put("region", region);
        spec.put("at", DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at));
        Result result = run(List.of("python3", "-c", SIGN), JSON.writeValueAsString(spec));
        if (result.exitCode != 0) throw new IllegalStateException("botocore signing failed: " + result.output);
        JsonNode signed = JSON.readTree(result.output);
        Map<String, List<String>> wireHeaders = new LinkedHashMap<>();
        for (JsonNode pair : signed.get("headers")) {
            wireHeaders.computeIfAbsent(pair.get(0).asText(), n -> new ArrayList<>()).add(pair.get(1).asText());
        }
        URI uri = URI.create(signed.get("url").asText());
        // botocore signs the Host header that the HTTP layer adds later: the URL's host, with a non-default port
        String host = uri.getPort() < 0 || uri.getPort() == 80 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        wireHeaders.putIfAbsent("Host", List.of(host));
        return new SignedWireRequest(method, uri.getRawPath(), uri.getRawQuery(), wireHeaders,
                body.getBytes(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, String stdin) throws IOException {
        return run(command, stdin, Map.of());
    }

    static Result run(List<String> command, String stdin, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // credentials from the environment would win over the ones a test hands over
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(process.exitValue(), output);
    }
}
