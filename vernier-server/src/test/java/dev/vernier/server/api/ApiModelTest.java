package dev.vernier.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ApiModelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ApiModel MODEL = ApiModel.sagemaker();
    static final String CREATE = "CreateHyperParameterTuningJob";

    static ObjectNode request(String name) {
        try (InputStream in = ApiModelTest.class.getResourceAsStream("/requests/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void servesTheTwelveOperationsOfTheExtract() {
        assertThat(MODEL.operationNames()).hasSize(12).contains(CREATE, "DescribeTrainingJob", "AddTags");
        assertThat(MODEL.hasOperation("CreateTrainingJob")).isFalse();
        assertThat(MODEL.hasOperation(null)).isFalse();
    }

    @Test
    void minimalCreateRequestValidatesUnchanged() {
        ObjectNode minimal = request("create-minimal.json");
        assertThat((JsonNode) MODEL.validateInput(CREATE, minimal)).isEqualTo(minimal);
    }

    @Test
    void unknownOperationIsRejectedWithTheProtocolCode() {
        assertThatThrownBy(() -> MODEL.validateInput("LaunchRockets", json("{}")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATION));
    }
}
