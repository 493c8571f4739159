package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** Authentication end to end: the official client with good and bad keys, and hand-made requests. */
class AuthApiTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();

    @Test
    void aWrongSecretIsAnInvalidSignatureWith403() {
        assertThatThrownBy(() -> SHARED.server().client(TestServer.ACCESS_KEY, "wrong-secret").listHyperParameterTuningJobs(r -> {}))
                .isInstanceOfSatisfying(SageMakerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                });
    }

    @Test
    void anUnknownAccessKeyIsAnUnrecognizedClientWith403() {
        assertThatThrownBy(() -> SHARED.server().client("AKIAUNKNOWNUNKNOWN00", TestServer.SECRET_KEY).listHyperParameterTuningJobs(r -> {}))
                .isInstanceOfSatisfying(SageMakerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                });
    }

    @Test
    void anUnsignedRequestIsMissingItsAuthenticationToken() {
        RawClient.Response r = new RawClient(SHARED.server().endpoint()).unsigned("ListHyperParameterTuningJobs", "{}");
        ProtocolTest.assertError(r, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    @Test
    void aRequestSignedMoreThanFifteenMinutesAgoHasExpired() {
        Clock stale = Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
        RawClient.Response r = new RawClient(SHARED.server().endpoint()).withClock(stale).call("ListHyperParameterTuningJobs", "{}");
        ProtocolTest.assertError(r, 403, "InvalidSignatureException", "Signature expired");
        Clock recent = Clock.fixed(Instant.now().minus(Duration.ofMinutes(14)), ZoneOffset.UTC);
        assertThat(new RawClient(SHARED.server().endpoint()).withClock(recent).call("ListHyperParameterTuningJobs", "{}").status()).isEqualTo(200);
    }

    @Test
    void aMalformedAuthorizationHeaderIsAnIncompleteSignature() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(SHARED.server().endpoint())
                .header("X-Amz-Target", "SageMaker.ListHyperParameterTuningJobs")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=nonsense")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
        var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        ProtocolTest.assertError(new RawClient.Response(response.statusCode(), response.body(), response.headers().map()),
                403, "IncompleteSignatureException", "");
    }

    @Test
    void aTamperedBodyFailsTheSignature() {
        // sign one body, send another: a proxy or attacker cannot change what was signed
        RawClient raw = new RawClient(SHARED.server().endpoint());
        RawClient.Response ok = raw.call("ListHyperParameterTuningJobs", "{\"MaxResults\":5}");
        assertThat(ok.status()).isEqualTo(200);
        RawClient.Response tampered = raw.sendTampered("SageMaker.ListHyperParameterTuningJobs",
                "{\"MaxResults\":5}".getBytes(StandardCharsets.UTF_8), "{\"MaxResults\":6}".getBytes(StandardCharsets.UTF_8));
        ProtocolTest.assertError(tampered, 403, "InvalidSignatureException", "x-amz-content-sha256");
    }

    @Test
    void withoutConfiguredKeysTheServerGeneratesAPrivateCredentialsFileAndAcceptsItsKey(@TempDir Path fresh) throws Exception {
        var settings = TestServer.settings(fresh);
        var unkeyed = TestDatabase.on(new dev.vernier.server.config.Settings(settings.bindAddress(), 0, fresh,
                fresh.resolve("vernier.db"), settings.region(), settings.accountId(), Optional.empty(), Optional.empty(),
                settings.maxRequestBytes(), settings.training()));
        try (VernierServer s = Vernier.start(unkeyed)) {
            Path credentials = fresh.resolve("credentials");
            assertThat(Files.getPosixFilePermissions(credentials))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            String text = Files.readString(credentials);
            String id = text.replaceAll("(?s).*aws_access_key_id\\s*=\\s*(\\S+).*", "$1");
            String secret = text.replaceAll("(?s).*aws_secret_access_key\\s*=\\s*(\\S+).*", "$1");
            RawClient raw = new RawClient(java.net.URI.create("http://127.0.0.1:" + s.port())).withKeys(id, secret);
            assertThat(raw.call("ListHyperParameterTuningJobs", "{}").status()).isEqualTo(200);
            assertThat(raw.withKeys(TestServer.ACCESS_KEY, TestServer.SECRET_KEY).call("ListHyperParameterTuningJobs", "{}").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void anOperationThatTheSignatureDoesNotCoverCannotBeSwitched() throws Exception {
        String name = "auth-switch-" + System.nanoTime();
        com.fasterxml.jackson.databind.node.ObjectNode create = RoundTripTest.read("create-minimal.json");
        create.put("HyperParameterTuningJobName", name);
        RawClient raw = new RawClient(SHARED.server().endpoint());
        assertThat(raw.call("CreateHyperParameterTuningJob", dev.vernier.protocol.json.Json.write(create)).status())
                .isEqualTo(200);
        // a request for Describe signed without its X-Amz-Target, sent as Stop
        RawClient.Response r = raw.sendWithUnsignedTarget("SageMaker.StopHyperParameterTuningJob",
                "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
        ProtocolTest.assertError(r, 403, "IncompleteSignatureException", "'x-amz-target' must be a 'SignedHeader'");
        assertThat(SHARED.server().client().describeHyperParameterTuningJob(d -> d.hyperParameterTuningJobName(name))
                .hyperParameterTuningJobStatusAsString()).isNotIn("Stopping", "Stopped");
    }

    @Test
    void anUnsignedPayloadIsRefusedSoThatTheBodyCannotBeSwapped() {
        RawClient raw = new RawClient(SHARED.server().endpoint());
        RawClient.Response r = raw.sendWithUnsignedPayload("ListHyperParameterTuningJobs", "{}",
                "{\"NameContains\":\"swapped\"}");
        ProtocolTest.assertError(r, 403, "InvalidSignatureException", "UNSIGNED-PAYLOAD");
        assertThat(raw.sendWithUnsignedPayload("ListHyperParameterTuningJobs", "{}", "{}").status()).isEqualTo(403);
    }
}
