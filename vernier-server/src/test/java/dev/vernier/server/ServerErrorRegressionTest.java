package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/** Valid requests that once answered 500: statuses Vernier never holds, times beyond epoch milliseconds. */
class ServerErrorRegressionTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();

    @Test
    void statusFiltersOfStatusesVernierNeverHoldsMatchNothing() {
        String name = "regress-" + System.nanoTime();
        SHARED.server().client().createHyperParameterTuningJob(Requests.minimalCreate(name));
        try {
            for (String status : List.of("Deleting", "DeleteFailed")) {
                assertThat(SHARED.server().client().listHyperParameterTuningJobs(r -> r.statusEquals(status))
                        .hyperParameterTuningJobSummaries()).isEmpty();
            }
            assertThat(SHARED.server().client().listTrainingJobs(r -> r.statusEquals("Deleting")).trainingJobSummaries())
                    .isEmpty();
            assertThat(SHARED.server().client().listTrainingJobsForHyperParameterTuningJob(r -> r
                    .hyperParameterTuningJobName(name).statusEquals("Deleting")).trainingJobSummaries()).isEmpty();
            assertThatThrownBy(() -> SHARED.server().client().listTrainingJobsForHyperParameterTuningJob(r -> r
                    .hyperParameterTuningJobName("no-such-job").statusEquals("Deleting")))
                    .isInstanceOf(ResourceNotFoundException.class);
        } finally {
            SHARED.server().client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
        }
    }

    @Test
    void timeFiltersBeyondEpochMillisecondsMeanAfterOrBeforeEveryJob() {
        String name = "regress-t-" + System.nanoTime();
        SHARED.server().client().createHyperParameterTuningJob(Requests.minimalCreate(name));
        try {
            RawClient raw = new RawClient(SHARED.server().endpoint());
            String nameFilter = "\"NameContains\": \"" + name + "\"";
            for (String value : List.of("1e16", "1e300", "\"+999999999-12-31T23:59:59Z\"")) {
                for (String member : List.of("CreationTimeAfter", "LastModifiedTimeAfter")) {
                    RawClient.Response r = raw.call("ListHyperParameterTuningJobs",
                            "{" + nameFilter + ", \"" + member + "\": " + value + "}");
                    assertThat(r.status()).as(member + "=" + value + ": " + r.body()).isEqualTo(200);
                    assertThat(r.body()).doesNotContain(name);
                    r = raw.call("ListTrainingJobs", "{\"" + member + "\": " + value + "}");
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    r = raw.call("ListTrainingJobsForHyperParameterTuningJob", "{\"HyperParameterTuningJobName\": \""
                            + name + "\", \"" + member + "\": " + value + "}");
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                }
                RawClient.Response before = raw.call("ListHyperParameterTuningJobs",
                        "{" + nameFilter + ", \"CreationTimeBefore\": " + value + "}");
                assertThat(before.status()).as(before.body()).isEqualTo(200);
                assertThat(before.body()).contains(name);
                String earliest = value.startsWith("\"") ? "\"-999999999-01-01T00:00:00Z\"" : "-" + value;
                RawClient.Response negative = raw.call("ListHyperParameterTuningJobs",
                        "{" + nameFilter + ", \"CreationTimeBefore\": " + earliest + "}");
                assertThat(negative.status()).as(negative.body()).isEqualTo(200);
                assertThat(negative.body()).doesNotContain(name);
            }
        } finally {
            SHARED.server().client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
        }
    }
}
