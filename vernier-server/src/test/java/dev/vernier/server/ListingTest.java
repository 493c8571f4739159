package dev.vernier.server;

import dev.vernier.testkit.Programs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobSummary;
import software.amazon.awssdk.services.sagemaker.model.ListHyperParameterTuningJobsRequest;
import software.amazon.awssdk.services.sagemaker.model.ListHyperParameterTuningJobsResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListingTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();
    static final int JOBS = 37;
    static final java.util.Set<String> STOPPED = java.util.Set.of("alpha-00", "alpha-21", "alpha-05", "alpha-26", "alpha-10");
    static Instant middle;

    @BeforeAll
    static void createJobs() throws Exception {
        for (int i = 0; i < JOBS; i++) {
            String name = (i % 3 == 0 ? "alpha-" : i % 3 == 1 ? "Beta-" : "gamma-") + String.format("%02d", (i * 7) % JOBS);
            // one quick job without an objective: the tuning job soon ends Failed and then stays as it is;
            // five others run a job that waits, and are stopped below
            String program = STOPPED.contains(name) ? "sleeps.sh" : "no_metrics.sh";
            SHARED.client().createHyperParameterTuningJob(Requests.create(name, Programs.image(program), java.util.Map.of(), 1, 1));
            if (i == JOBS / 2) {
                Thread.sleep(20);
                middle = Instant.now();
                Thread.sleep(20);
            }
        }
        for (String name : STOPPED) SHARED.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
        // paging by status is only stable while statuses stand still: wait until every job has ended
        for (var job : SHARED.client().listHyperParameterTuningJobsPaginator(r -> r.maxResults(100)).hyperParameterTuningJobSummaries())
            Waits.terminal(SHARED.client(), job.hyperParameterTuningJobName());
    }

    @ParameterizedTest
    @CsvSource({"Name,Ascending,1", "Name,Descending,7", "Status,Ascending,10", "Status,Descending,3",
            "CreationTime,Ascending,5", "CreationTime,Descending,100"})
    void pagingReturnsEveryJobExactlyOnceInOrder(String sortBy, String order, int pageSize) {
        List<HyperParameterTuningJobSummary> all = listAll(r -> r.sortBy(sortBy).sortOrder(order).maxResults(pageSize));
        assertThat(all).hasSize(JOBS);
        assertThat(new HashSet<>(all.stream().map(HyperParameterTuningJobSummary::hyperParameterTuningJobName).toList())).hasSize(JOBS);
        Comparator<HyperParameterTuningJobSummary> byName = Comparator.comparing(s -> s.hyperParameterTuningJobName().toLowerCase());
        Comparator<HyperParameterTuningJobSummary> expected = switch (sortBy) {
            case "Name" -> byName;
            case "Status" -> Comparator.<HyperParameterTuningJobSummary, String>comparing(s -> s.hyperParameterTuningJobStatusAsString()).thenComparing(byName);
            default -> Comparator.<HyperParameterTuningJobSummary, Instant>comparing(HyperParameterTuningJobSummary::creationTime).thenComparing(byName);
        };
        if (order.equals("Descending")) expected = expected.reversed();
        assertThat(all).isSortedAccordingTo(expected);
    }

    @Test
    void theDefaultIsTenPerPageSortedByNameAscending() {
        ListHyperParameterTuningJobsResponse first = SHARED.client().listHyperParameterTuningJobs(r -> {});
        assertThat(first.hyperParameterTuningJobSummaries()).hasSize(10);
        assertThat(first.nextToken()).isNotNull();
        assertThat(first.hyperParameterTuningJobSummaries().get(0).hyperParameterTuningJobName()).isEqualTo("alpha-00");
    }

    @Test
    void filtersNarrowTheListing() {
        assertThat(listAll(r -> r.nameContains("ALPHA"))).hasSize(13)
                .allMatch(s -> s.hyperParameterTuningJobName().startsWith("alpha-"));
        assertThat(listAll(r -> r.statusEquals("Failed").maxResults(2))).hasSize(JOBS - STOPPED.size());
        assertThat(listAll(r -> r.statusEquals("Stopped"))).extracting(HyperParameterTuningJobSummary::hyperParameterTuningJobName)
                .containsExactlyInAnyOrderElementsOf(STOPPED);
        assertThat(listAll(r -> r.statusEquals("InProgress"))).isEmpty();
        List<HyperParameterTuningJobSummary> before = listAll(r -> r.creationTimeBefore(middle));
        List<HyperParameterTuningJobSummary> after = listAll(r -> r.creationTimeAfter(middle));
        assertThat(before).hasSize(JOBS / 2 + 1);
        assertThat(before.size() + after.size()).isEqualTo(JOBS);
        assertThat(after).allMatch(s -> s.creationTime().isAfter(middle));
        assertThat(listAll(r -> r.lastModifiedTimeAfter(middle).nameContains("beta"))).hasSizeGreaterThan(0)
                .allMatch(s -> s.lastModifiedTime().isAfter(middle));
        assertThat(listAll(r -> r.nameContains("zzz"))).isEmpty();
    }

    @Test
    void summariesCarryStrategyCountersAndLimits() {
        HyperParameterTuningJobSummary s = SHARED.client().listHyperParameterTuningJobs(r -> r.maxResults(1)).hyperParameterTuningJobSummaries().get(0);
        assertThat(s.strategyAsString()).isEqualTo("Random");
        assertThat(s.resourceLimits().maxNumberOfTrainingJobs()).isEqualTo(1);
        assertThat(s.trainingJobStatusCounters()).isNotNull();
        assertThat(s.hyperParameterTuningJobArn()).endsWith(s.hyperParameterTuningJobName().toLowerCase());
    }

    @Test
    void aTokenFromAnotherSortOrGarbageIsAValidationError() {
        String token = SHARED.client().listHyperParameterTuningJobs(r -> r.maxResults(2).sortBy("Name")).nextToken();
        assertThatThrownBy(() -> SHARED.client().listHyperParameterTuningJobs(r -> r.sortBy("CreationTime").nextToken(token)))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("NextToken")
                .satisfies(e -> assertThat(((SageMakerException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> SHARED.client().listHyperParameterTuningJobs(r -> r.nextToken("not-a-token")))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("NextToken");
    }

    static List<HyperParameterTuningJobSummary> listAll(Consumer<ListHyperParameterTuningJobsRequest.Builder> query) {
        List<HyperParameterTuningJobSummary> out = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        do {
            String current = token;
            ListHyperParameterTuningJobsResponse page = SHARED.client().listHyperParameterTuningJobs(r -> {
                query.accept(r);
                r.nextToken(current);
            });
            out.addAll(page.hyperParameterTuningJobSummaries());
            token = page.nextToken();
            assertThat(token == null || tokens.add(token)).as("tokens never repeat").isTrue();
        } while (token != null);
        return out;
    }
}
