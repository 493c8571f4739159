package dev.vernier.cli.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces that make output identical to the AWS CLI's: names, Python floats and JSON, timestamps, text. */
class FormattingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({  // expected values printed by botocore.xform_name(name, '-')
            "S3OutputPath,s3-output-path", "HyperParameterTuningJobName,hyper-parameter-tuning-job-name",
            "TrainingJobARNs,training-job-arns", "HPOResourceConfig,hpo-resource-config",
            "SageMakerImageUri,sage-maker-image-uri", "KmsKeyId,kms-key-id", "TagKeys,tag-keys"})
    void optionNamesAreBotocoresXformName(String member, String option) {
        assertThat(CliNames.hyphenate(member)).isEqualTo(option);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({  // expected values printed by Python's repr(float)
            "3.5,3.5", "100.0,100.0", "0.0001,0.0001", "0.00001,1e-05", "1e16,1e+16", "1e15,1000000000000000.0",
            "1795817343.783,1795817343.783", "0.1,0.1", "-2.5e-7,-2.5e-07", "123456789.125,123456789.125", "1.7976931348623157e308,1.7976931348623157e+308"})
    void floatsPrintAsPythonsRepr(double value, String repr) {
        assertThat(PyJson.floatRepr(value)).isEqualTo(repr);
    }

    @Test
    void jsonIsIndentedByFourWithNonAsciiKeptAndControlCharactersEscaped() throws Exception {
        var node = new ObjectMapper().readTree("{\"a\": [], \"b\": {}, \"c\": \"é\\u0001\\n\", \"d\": [1, 2.0, true, null]}");
        assertThat(PyJson.print(node)).isEqualTo("{\n    \"a\": [],\n    \"b\": {},\n    \"c\": \"é\\u0001\\n\",\n    \"d\": [\n"
                + "        1,\n        2.0,\n        true,\n        null\n    ]\n}");
    }

    @Test
    void timestampsPrintAsPythonsIsoformat() {
        assertThat(Timestamps.iso(1795817343.783, ZoneOffset.UTC)).isEqualTo("2026-11-27T22:09:03.783000+00:00");
        assertThat(Timestamps.iso(1795817343, ZoneOffset.ofHours(-8))).isEqualTo("2026-11-27T14:09:03-08:00");
        assertThat(Timestamps.parse("2026-11-27T22:09:03.5Z")).isEqualTo(1795817343.5);
        assertThat(Timestamps.parse("2026-11-27")).isEqualTo(1795737600.0);
        assertThat(Timestamps.parse("1795817343")).isEqualTo(1795817343.0);
    }

    @Test
    void textOutputFollowsAwscliTextPy() throws Exception {
        var node = new ObjectMapper().readTree("{\"Tags\": [{\"Key\": \"a\", \"Value\": \"b\"}, {\"Key\": \"c\"}], \"NextToken\": \"t\", \"Flag\": true}");
        assertThat(TextFormat.format(node)).isEqualTo("True\tt\nTAGS\ta\tb\nTAGS\tc\t\n");
    }
}
