package dev.vernier.protocol.auth;

import static dev.vernier.protocol.auth.SigV4Authorization.incomplete;

import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) on incoming requests, as AWS
 * services do, answering failures with AWS's error codes (all HTTP 403).
 *
 * <p>Policies:
 * <ul>
 *   <li>The credential scope's service must be this verifier's service; its <b>region may be any region</b>: the
 *       server has one region for its ARNs, but refusing a client whose default region differs would only make
 *       {@code aws ... --endpoint-url} harder to use, and the region adds nothing to what the secret proves.</li>
 *   <li>{@code X-Amz-Date} is required and must be signed, as must {@code Host}; a request more than 15 minutes
 *       away from the clock, either way, is rejected.</li>
 *   <li>{@code X-Amz-Target}, which selects the operation, must be signed when present: otherwise a request signed
 *       over {@code host;x-amz-date} alone could have its operation switched.</li>
 *   <li>The payload is always covered by the signature: if the client sent {@code x-amz-content-sha256} (the Java SDK
 *       v2 does) it must be signed and be the hex SHA-256 of the body; {@code UNSIGNED-PAYLOAD} is refused, since
 *       the body would then be only as safe as the transport. Otherwise (botocore, the JavaScript and Go SDKs) the
 *       body's SHA-256 is signed implicitly, as the canonical request's last line.</li>
 *   <li>Query-string (presigned) authentication is not accepted; no AWS JSON client uses it.</li>
 * </ul>
 */
public final class SigV4Verifier {

    /** How far a request's X-Amz-Date may be from the server's clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                    .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern AMZ_DATE_SHAPE = Pattern.compile("\\d{8}T\\d{6}Z");
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";

    private final SecretLookup secrets;
    private final Clock clock;
    private final String service;

    public SigV4Verifier(SecretLookup secrets, Clock clock, String service) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * @param rawPath the path as it arrived, still percent-encoded ({@code URI.getRawPath()})
     * @param rawQuery the query as it arrived, still percent-encoded, or null
     * @param headers header names in any case, each with its values in arrival order
     * @param body the request body; null counts as empty
     * @return the access key id whose secret signed the request
     * @throws ApiException with {@code MissingAuthenticationTokenException}, {@code IncompleteSignatureException},
     *     {@code UnrecognizedClientException} or {@code InvalidSignatureException}
     */
    public String verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                         byte[] body) {
        Map<String, List<String>> byName = lowerCaseNames(headers);
        String authorizationHeader = authorizationHeader(byName, rawQuery);
        SigV4Authorization authorization = SigV4Authorization.parse(authorizationHeader);
        List<String> dates = byName.getOrDefault("x-amz-date", List.of());
        if (dates.size() != 1) {
            throw incomplete("Authorization header requires existence of a single 'X-Amz-Date' header. Authorization="
                    + authorizationHeader);
        }
        String amzDate = dates.get(0).strip();
        Instant requestTime = parseAmzDate(amzDate);
        requireSigned(authorization, "host", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        requireSigned(authorization, "x-amz-date", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
        for (String header : List.of("x-amz-target", "x-amz-content-sha256")) {
            if (byName.containsKey(header)) requireSigned(authorization, header, "'" + header
                    + "' must be a 'SignedHeader' in the AWS Authorization when the request carries it.");
        }
        if (!authorization.scopeDate().equals(amzDate.substring(0, 8))) {
            throw incomplete("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + authorization.scopeDate() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        if (!authorization.service().equals(service)) {
            throw invalid("Credential should be scoped to correct service: '" + service + "'.");
        }
        String secret = secrets.secretFor(authorization.accessKeyId()).orElseThrow(() -> new ApiException(
                ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid."));
        requireFresh(amzDate, requestTime);

        Map<String, List<String>> signedHeaders = signedHeaders(authorization, byName);
        String contentHash = contentHash(signedHeaders, body);
        ExpectedSignature.Result expected;
        try {
            expected = ExpectedSignature.compute(new AccessKey(authorization.accessKeyId(), secret),
                    authorization.region(), service, requestTime, method, rawPath, QueryParameters.decode(rawQuery),
                    signedHeaders, contentHash);
        } catch (RuntimeException e) {
            // whatever a client sent must not become a 5xx; failing closed is the safe side
            throw incomplete("The request cannot be put into SigV4 canonical form: " + e.getMessage());
        }
        requireMatch(expected, authorization);
        return authorization.accessKeyId();
    }

    private static Map<String, List<String>> signedHeaders(SigV4Authorization authorization,
                                                           Map<String, List<String>> byName) {
        Map<String, List<String>> signedHeaders = new LinkedHashMap<>();
        for (String name : authorization.signedHeaderNames()) {
            List<String> values = byName.get(name);
            if (values == null) {
                throw incomplete("Header '" + name + "' is listed in SignedHeaders but absent from the request.");
            }
            signedHeaders.put(name, values);
        }
        return signedHeaders;
    }

    /** The signature check proper, in constant time so that a forger learns nothing from how long a refusal took. */
    private static void requireMatch(ExpectedSignature.Result expected, SigV4Authorization authorization) {
        if (!expected.signedHeaders().equals(authorization.signedHeaders())) {
            throw invalid(SIGNATURE_MISMATCH + " SignedHeaders must be lower-case, sorted, and may not include"
                    + " connection, expect, user-agent or x-amzn-trace-id: got '" + authorization.signedHeaders()
                    + "', verifiable '" + expected.signedHeaders() + "'.");
        }
        if (!MessageDigest.isEqual(expected.signature().getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw invalid(SIGNATURE_MISMATCH + "\n\nThe Canonical String for this request should have been\n'"
                    + expected.canonicalRequest() + "'\n\nThe String-to-Sign should have been\n'"
                    + expected.stringToSign() + "'\n");
        }
    }

    private static String authorizationHeader(Map<String, List<String>> byName, String rawQuery) {
        List<String> values = byName.getOrDefault("authorization", List.of());
        if (values.isEmpty()) {
            if (rawQuery != null && rawQuery.contains("X-Amz-Signature=")) {
                throw incomplete("Query-string (presigned) authentication is not supported by this server;"
                        + " sign the request with an Authorization header.");
            }
            throw new ApiException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
        }
        if (values.size() > 1) throw incomplete("A request may carry only one Authorization header.");
        return values.get(0);
    }

    private static Instant parseAmzDate(String amzDate) {
        try {
            if (!AMZ_DATE_SHAPE.matcher(amzDate).matches()) throw new DateTimeParseException("shape", amzDate, 0);
            return AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate
                    + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    private static void requireSigned(SigV4Authorization authorization, String header, String message) {
        if (!authorization.signedHeaderNames().contains(header)) throw incomplete(message);
    }

    private void requireFresh(String amzDate, Instant requestTime) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (requestTime.isBefore(now.minus(MAX_SKEW))) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (requestTime.isAfter(now.plus(MAX_SKEW))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
    }

    /** The payload line of the canonical request; see the class comment for the policy. */
    private static String contentHash(Map<String, List<String>> signedHeaders, byte[] body) {
        String actual = sha256Hex(body == null ? new byte[0] : body);
        List<String> declared = signedHeaders.get("x-amz-content-sha256");
        if (declared == null) return actual;
        String value = declared.size() == 1 ? declared.get(0).strip() : "";
        // the client's own spelling goes into the canonical request, as the client put it there
        if (value.equals(UNSIGNED_PAYLOAD)) {
            throw invalid("'x-amz-content-sha256: UNSIGNED-PAYLOAD' is not accepted: the body's SHA-256 must be signed.");
        }
        if (value.equalsIgnoreCase(actual)) return value;
        throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values);
            }
        });
        return byName;
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_SIGNATURE, message);
    }
}
