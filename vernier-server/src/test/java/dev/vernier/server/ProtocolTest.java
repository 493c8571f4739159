package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProtocolTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();
    static RawClient raw;

    @BeforeAll
    static void start() {
        raw = new RawClient(SHARED.server().endpoint());
    }

    @Test
    void answersCarryTheJsonContentTypeAndARequestId() {
        RawClient.Response r = raw.call("ListHyperParameterTuningJobs", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).containsExactly("application/x-amz-json-1.1");
        assertThat(r.headers().get("x-amzn-requestid")).hasSize(1);
    }

    @Test
    void unreadableJsonIsASerializationException() {
        assertError(raw.call("ListHyperParameterTuningJobs", "{\"MaxResults\": "), 400, "SerializationException", "JSON");
        assertError(raw.call("ListHyperParameterTuningJobs", "[1, 2]"), 400, "SerializationException", "object");
        assertError(raw.call("ListHyperParameterTuningJobs", "{} {}"), 400, "SerializationException", "JSON");
    }

    @Test
    void anEmptyBodyIsAnEmptyRequest() {
        assertThat(raw.call("ListHyperParameterTuningJobs", "").status()).isEqualTo(200);
    }

    @Test
    void unknownOrMissingTargetsAreUnknownOperationExceptions() {
        assertError(raw.call("CreateEndpoint", "{}"), 400, "UnknownOperationException", "CreateEndpoint");
        assertError(raw.send("Kinesis_20131202.ListStreams", "{}".getBytes(StandardCharsets.UTF_8), true), 400,
                "UnknownOperationException", "X-Amz-Target");
        assertError(raw.call(null, "{}"), 400, "UnknownOperationException", "X-Amz-Target");
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() {
        byte[] big = ("{\"NameContains\":\"" + "a".repeat((1 << 20) + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertError(raw.send("SageMaker.ListHyperParameterTuningJobs", big, true), 413, "RequestEntityTooLargeException", "limit");
    }

    /** Answering and closing while the client still sends resets the connection, which could destroy the 413. */
    @Test
    void everyRefusedBodyGetsItsAnswerAndTheNextRequestWorks() {
        byte[] big = ("{\"NameContains\":\"" + "a".repeat((1 << 20) + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) {
            assertError(raw.send("SageMaker.ListHyperParameterTuningJobs", big, true), 413, "RequestEntityTooLargeException", "limit");
            assertThat(raw.call("ListHyperParameterTuningJobs", "{}").status()).isEqualTo(200);
        }
    }

    static void assertError(RawClient.Response r, int status, String code, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.parseObject(r.body());
        assertThat(body.path("__type").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).contains(messagePart);
    }
}
