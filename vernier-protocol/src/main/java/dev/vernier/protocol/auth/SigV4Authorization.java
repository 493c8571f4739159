package dev.vernier.protocol.auth;

import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of {@code Authorization: AWS4-HMAC-SHA256 Credential=<id>/<yyyyMMdd>/<region>/<service>/aws4_request,
 * SignedHeaders=<a;b;c>, Signature=<hex>}. Parsing checks the shape only; whether the scope fits the request
 * (date, service) and the signature is right is the verifier's business.
 *
 * @param signedHeaders the list exactly as the client sent it, since it is part of what the client signed
 */
record SigV4Authorization(String accessKeyId, String scopeDate, String region, String service,
                          String signedHeaders, List<String> signedHeaderNames, String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";

    private static final Pattern SCOPE_DATE = Pattern.compile("\\d{8}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    static SigV4Authorization parse(String header) {
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!algorithm.equals(ALGORITHM)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'; Vernier accepts '" + ALGORITHM
                    + "'. Authorization=" + header);
        }
        Map<String, String> parameters = parameters(space < 0 ? "" : trimmed.substring(space + 1), header);
        List<String> missing = new ArrayList<>();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (parameters.getOrDefault(name, "").isEmpty()) {
                missing.add("Authorization header requires '" + name + "' parameter.");
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete(String.join(" ", missing) + " Authorization=" + header);
        }
        String[] scope = parameters.get("Credential").split("/", -1);
        if (scope.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
                    + " got '" + parameters.get("Credential") + "'");
        }
        if (scope[0].isEmpty()) throw incomplete("Credential has an empty access key id: '" + parameters.get("Credential") + "'");
        if (!SCOPE_DATE.matcher(scope[1]).matches()) {
            throw incomplete("Credential should be scoped to a date in yyyyMMdd format, not '" + scope[1] + "'.");
        }
        if (!REGION.matcher(scope[2]).matches()) {
            throw incomplete("Credential should be scoped to a valid region, not '" + scope[2] + "'.");
        }
        if (!scope[4].equals(TERMINATOR)) {
            throw incomplete("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '" + scope[4] + "'.");
        }
        String signedHeaders = parameters.get("SignedHeaders");
        List<String> names = List.of(signedHeaders.split(";", -1));
        if (names.contains("")) throw incomplete("SignedHeaders has an empty header name: '" + signedHeaders + "'");
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signedHeaders, names,
                parameters.get("Signature"));
    }

    private static Map<String, String> parameters(String text, String header) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String pair = part.strip();
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw incomplete("Invalid key=value pair (missing equal-sign) in Authorization header: '" + pair
                        + "'. Authorization=" + header);
            }
            parameters.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return parameters;
    }

    static ApiException incomplete(String message) {
        return new ApiException(ErrorCode.INCOMPLETE_SIGNATURE, message);
    }
}
