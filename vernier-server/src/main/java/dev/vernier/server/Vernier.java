package dev.vernier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.auth.AccessKey;
import dev.vernier.protocol.auth.AccessKeys;
import dev.vernier.protocol.auth.SigV4Verifier;
import dev.vernier.protocol.http.RequestShapes;
import dev.vernier.protocol.model.ApiModel;
import dev.vernier.protocol.sagemaker.TuningJobRequestRules;
import dev.vernier.protocol.sagemaker.WarmStartParents;
import dev.vernier.server.config.Settings;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Starts a server with the production parts: the SageMaker model, SigV4 and the server's keys. */
public final class Vernier {
    private Vernier() {}

    public static VernierServer start(Settings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** With another clock: tests of time limits move it instead of sleeping. */
    public static VernierServer start(Settings settings, Clock clock) {
        AccessKeys keys = accessKeys(settings);
        SigV4Verifier verifier = new SigV4Verifier(keys, clock, "sagemaker");
        return VernierServer.start(settings, shapes(ApiModel.sagemaker()),
                (method, path, query, headers, body) -> verifier.verify(method, path, query, headers, body),
                tuningJobs -> {
                    WarmStartParents parents = new WarmStartParents(tuningJobs::find);
                    return request -> TuningJobRequestRules.check(request, parents);
                }, clock, Optional.of(keys.primary()));
    }

    /** What to tell a user so that the AWS CLI can call this server with {@code keys}. */
    public static String credentialsHint(AccessKeys keys, Settings settings, String endpoint) {
        String prefix = keys.generatedNow() ? "Generated an access key for this data directory. " : "";
        return prefix + "Call it with the AWS CLI:\n  " + keys.usageHint(URI.create(endpoint), settings.region());
    }

    /** The configured keys, else the data directory's (generated on first use). */
    public static AccessKeys accessKeys(Settings settings) {
        List<AccessKey> configured = settings.accessKeyId().isPresent()
                ? List.of(new AccessKey(settings.accessKeyId().get(), settings.secretAccessKey().orElseThrow()))
                : List.of();
        return AccessKeys.loadOrCreate(configured, settings.dataDir());
    }

    private static RequestShapes shapes(ApiModel model) {
        return new RequestShapes() {
            @Override
            public boolean hasOperation(String operation) {
                return model.hasOperation(operation);
            }

            @Override
            public ObjectNode validateInput(String operation, JsonNode body) {
                return model.validateInput(operation, body);
            }

            @Override
            public ObjectNode shapeOutput(String operation, JsonNode response) {
                return model.shapeOutput(operation, response);
            }
        };
    }
}
