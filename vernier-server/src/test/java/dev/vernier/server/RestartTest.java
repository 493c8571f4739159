package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.Tag;

class RestartTest {
    @TempDir
    Path dir;

    @Test
    void everyJobIsDescribedByteForByteTheSameAfterARestart() throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        String tags;
        String listing;
        TestServer server = TestServer.start(dir);
        try {
            for (int i = 0; i < 5; i++) {
                server.client().createHyperParameterTuningJob(Requests.minimalCreate("persist-" + i).toBuilder()
                        .tags(Tag.builder().key("i").value(Integer.toString(i)).build()).build());
            }
            server.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("persist-1"));
            // a Describe of a finished job is stable; wait until every job has finished
            for (int i = 0; i < 5; i++) Waits.terminal(server.client(), "persist-" + i);
            RawClient raw = new RawClient(server.endpoint());
            for (int i = 0; i < 5; i++) before.put("persist-" + i, describe(raw, "persist-" + i));
            tags = raw.call("ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/persist-3\"}").body();
            listing = raw.call("ListHyperParameterTuningJobs", "{\"MaxResults\":100}").body();
        } finally {
            server.close();
        }
        assertThat(before.get("persist-1")).contains("\"HyperParameterTuningJobStatus\":\"Stopped\"");

        try (TestServer again = TestServer.start(dir)) {
            RawClient raw = new RawClient(again.endpoint());
            for (var e : before.entrySet()) assertThat(describe(raw, e.getKey())).isEqualTo(e.getValue());
            assertThat(raw.call("ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/persist-3\"}").body())
                    .isEqualTo(tags).contains("\"Value\":\"3\"");
            assertThat(raw.call("ListHyperParameterTuningJobs", "{\"MaxResults\":100}").body()).isEqualTo(listing);
        }
    }

    private static String describe(RawClient raw, String name) {
        RawClient.Response r = raw.call("DescribeHyperParameterTuningJob", "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }
}
