package dev.vernier.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.InvalidTokenException;
import dev.vernier.core.store.Lease;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.StaleLeaseException;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.Tag;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} does, whatever database it keeps its state in (Optuna's StorageTestCase,
 * Vizier's DataStoreTestCase). An implementation's test extends this class and opens a fresh, empty
 * store; the suite only speaks through the {@link Store} interface.
 */
public abstract class StoreContract {
    protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ARN = "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/";

    protected Store store;

    /** A new, empty store of the implementation under test. */
    protected abstract Store openEmptyStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    // ---- fixtures

    protected static TuningJob tuningJob(String name, Instant created) {
        return TuningJob.created(name, ARN + name.toLowerCase(java.util.Locale.ROOT), "Bayesian", created,
                "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
    }

    protected TuningJob created(String name) {
        return created(name, T0);
    }

    protected TuningJob created(String name, Instant at) {
        TuningJob job = tuningJob(name, at);
        assertThat(store.createTuningJob(job, List.of())).isTrue();
        return job;
    }

    protected static TrainingJob trainingJob(String tuning, int ordinal, Instant at) {
        String name = tuning + "-" + String.format("%03d", ordinal) + "-0000abcd";
        return TrainingJob.starting(name, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name, tuning,
                ordinal, null, Map.of("lr", "0." + ordinal, "batch", "64", "_tuning_objective_metric", "loss"),
                Map.of("lr", "0." + ordinal), null, "{\"TuningObjective\":{\"Type\":\"Minimize\",\"MetricName\":\"loss\"}}", at);
    }

    /** Stores training jobs under the tuning job's current version; answers the tuning job as stored. */
    protected TuningJob add(TuningJob tuning, Lease lease, TrainingJob... jobs) {
        Optional<TuningJob> stored = store.addTrainingJobs(tuning, List.of(jobs), lease);
        assertThat(stored).as("added to %s", tuning.name()).isPresent();
        return stored.get();
    }

    protected Lease leaseOn(String tuningJob, String owner) {
        return store.acquireLeases(owner, T0, Duration.ofSeconds(15), Integer.MAX_VALUE).stream()
                .filter(l -> l.tuningJobName().equalsIgnoreCase(tuningJob)).findFirst().orElseThrow();
    }

    private static TrainingJob finish(TrainingJob job, double loss, Instant at) {
        return job.launched(new RunHandle("run " + job.name()), at.minusSeconds(1)).finished(TrainingJobStatus.COMPLETED,
                "Completed", null, false, new RunHandle("done " + job.name()), List.of(new MetricValue("loss", loss, at)),
                loss, "s3://b/" + job.name() + "/output/model.tar.gz", at, 1L, "Training job completed");
    }

    // ---- tuning jobs

    @Nested
    class TuningJobs {
        @Test
        void aCreatedJobReadsBackEqualInAnyCase() {
            TuningJob job = created("MyJob");
            assertThat(store.tuningJob("myjob")).contains(job);
            assertThat(store.tuningJob("MYJOB")).contains(job);
            assertThat(store.tuningJob("other")).isEmpty();
        }

        @Test
        void aTakenNameRegardlessOfCaseIsRefusedAndNothingIsWritten() {
            created("job");
            TuningJob again = tuningJob("JOB", T0.plusSeconds(5));
            assertThat(store.createTuningJob(again, List.of(new Tag("k", "v")))).isFalse();
            assertThat(store.tuningJob("job").orElseThrow().creationTime()).isEqualTo(T0);
            assertThat(store.tags(again.arn())).isEmpty();
        }

        @Test
        void tagsAreStoredWithTheJobInTheOrderGiven() {
            TuningJob job = tuningJob("tagged", T0);
            store.createTuningJob(job, List.of(new Tag("b", "2"), new Tag("a", "1")));
            assertThat(store.tags(job.arn())).containsExactly(new Tag("b", "2"), new Tag("a", "1"));
        }

        @Test
        void anUpdateOnTheVersionReadIsStoredAndBumpsTheVersion() {
            TuningJob job = created("cas");
            TuningJob changed = job.withStrategyState("{\"n\":1}").finishing("target reached")
                    .moveTo(TuningJobStatus.STOPPING, T0.plusSeconds(1), null);
            Optional<TuningJob> stored = store.updateTuningJob(changed, null);
            assertThat(stored).contains(changed.nextVersion());
            assertThat(store.tuningJob("cas")).contains(changed.nextVersion());
            assertThat(stored.get().version()).isEqualTo(1);
        }

        @Test
        void anUpdateOnAStaleVersionWritesNothing() {
            TuningJob job = created("stale");
            store.updateTuningJob(job.moveTo(TuningJobStatus.STOPPING, T0.plusSeconds(1), null), null).orElseThrow();
            assertThat(store.updateTuningJob(job.withStrategyState("lost"), null)).isEmpty();
            TuningJob now = store.tuningJob("stale").orElseThrow();
            assertThat(now.status()).isEqualTo(TuningJobStatus.STOPPING);
            assertThat(now.strategyState()).isNull();
        }

        @Test
        void aTerminalMoveStampsTheEndTimeAndKeepsTheFirstReason() {
            TuningJob job = created("ends");
            TuningJob failed = store.updateTuningJob(job.moveTo(TuningJobStatus.FAILED, T0.plusSeconds(9), "broken"), null)
                    .orElseThrow();
            assertThat(failed.endTime()).isEqualTo(T0.plusSeconds(9));
            assertThat(failed.lastModifiedTime()).isEqualTo(T0.plusSeconds(9));
            assertThat(store.tuningJob("ends").orElseThrow().failureReason()).isEqualTo("broken");
        }

        @Test
        void concurrentCompareAndSetsLoseNoUpdate() throws Exception {
            created("race");
            int threads = 4, each = 25;
            AtomicInteger succeeded = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            while (true) {
                                TuningJob read = store.tuningJob("race").orElseThrow();
                                String state = Integer.toString(read.strategyState() == null ? 1
                                        : Integer.parseInt(read.strategyState()) + 1);
                                if (store.updateTuningJob(read.withStrategyState(state), null).isPresent()) {
                                    succeeded.incrementAndGet();
                                    break;
                                }
                            }
                        }
                    }));
                }
                for (Future<?> f : futures) f.get();
            } finally {
                pool.shutdown();
            }
            TuningJob end = store.tuningJob("race").orElseThrow();
            assertThat(succeeded.get()).isEqualTo(threads * each);
            assertThat(end.strategyState()).isEqualTo(Integer.toString(threads * each));
            assertThat(end.version()).isEqualTo(threads * each);
        }

        @Test
        void theWorkListHoldsTheJobsInTheGivenStatusesOldestFirst() {
            created("b", T0.plusSeconds(2));
            created("a", T0.plusSeconds(1));
            TuningJob done = created("c", T0);
            store.updateTuningJob(done.moveTo(TuningJobStatus.COMPLETED, T0.plusSeconds(3), null), null).orElseThrow();
            assertThat(store.tuningJobsIn(EnumSet.of(TuningJobStatus.IN_PROGRESS, TuningJobStatus.STOPPING)))
                    .extracting(TuningJob::name).containsExactly("a", "b");
            assertThat(store.tuningJobsIn(Set.of())).isEmpty();
        }

        @Test
        void deleteRemovesATerminalJobAndItsTagsButKeepsItsTrainingJobs() {
            TuningJob job = tuningJob("gone", T0);
            store.createTuningJob(job, List.of(new Tag("k", "v")));
            TrainingJob t = trainingJob("gone", 1, T0);
            job = add(job, null, t);
            store.updateTrainingJob(finish(t, 0.5, T0.plusSeconds(2)), List.of(), null);
            store.updateTuningJob(job.moveTo(TuningJobStatus.COMPLETED, T0.plusSeconds(3), null), null).orElseThrow();
            assertThat(store.deleteTuningJob("GONE", EnumSet.of(TuningJobStatus.COMPLETED))).isEqualTo(Store.DeleteResult.DELETED);
            assertThat(store.tuningJob("gone")).isEmpty();
            assertThat(store.tags(job.arn())).isEmpty();
            assertThat(store.trainingJob(t.name())).isPresent();
            assertThat(store.deleteTuningJob("gone", EnumSet.of(TuningJobStatus.COMPLETED))).isEqualTo(Store.DeleteResult.NOT_FOUND);
        }

        @Test
        void deleteRefusesAJobInAnotherStatusOrWithTrainingJobsStillRunning() {
            created("busy");
            assertThat(store.deleteTuningJob("busy", EnumSet.of(TuningJobStatus.COMPLETED)))
                    .isEqualTo(Store.DeleteResult.NOT_DELETABLE);
            TuningJob failing = created("failing");
            failing = add(failing, null, trainingJob("failing", 1, T0));
            store.updateTuningJob(failing.moveTo(TuningJobStatus.FAILED, T0.plusSeconds(1), "x"), null).orElseThrow();
            assertThat(store.deleteTuningJob("failing", EnumSet.of(TuningJobStatus.FAILED)))
                    .isEqualTo(Store.DeleteResult.TRAINING_JOBS_RUNNING);
            assertThat(store.tuningJob("failing")).isPresent();
        }
    }

    // ---- listing

    @Nested
    class Listing {
        private List<String> all(TuningJobQuery.SortBy sort, boolean descending, int pageSize) {
            List<String> names = new ArrayList<>();
            Optional<String> token = Optional.empty();
            do {
                Page<TuningJob> page = store.listTuningJobs(new TuningJobQuery(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), sort, descending, pageSize, token));
                assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
                page.items().forEach(j -> names.add(j.name()));
                token = page.nextToken();
            } while (token.isPresent());
            return names;
        }

        @Test
        void pagesListEveryJobOnceInEverySortAndOrder() {
            for (int i = 0; i < 7; i++) created("job-" + (char) ('a' + (i * 3) % 7), T0.plusSeconds(i % 3));
            List<String> byName = all(TuningJobQuery.SortBy.NAME, false, 3);
            assertThat(byName).containsExactly("job-a", "job-b", "job-c", "job-d", "job-e", "job-f", "job-g");
            assertThat(all(TuningJobQuery.SortBy.NAME, true, 2)).containsExactlyElementsOf(byName.reversed());
            List<String> byCreation = all(TuningJobQuery.SortBy.CREATION_TIME, false, 2);
            assertThat(byCreation).hasSize(7).doesNotHaveDuplicates();
            List<Instant> times = byCreation.stream().map(n -> store.tuningJob(n).orElseThrow().creationTime()).toList();
            assertThat(times).isSorted();
            assertThat(all(TuningJobQuery.SortBy.STATUS, true, 4)).hasSize(7).doesNotHaveDuplicates();
        }

        @Test
        void aJobCreatedBetweenPagesDoesNotShiftThePages() {
            for (String n : List.of("b", "d", "f")) created(n);
            TuningJobQuery first = new TuningJobQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), TuningJobQuery.SortBy.NAME, false, 2,
                    Optional.empty());
            Page<TuningJob> page1 = store.listTuningJobs(first);
            created("a");
            Page<TuningJob> page2 = store.listTuningJobs(new TuningJobQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), TuningJobQuery.SortBy.NAME,
                    false, 2, page1.nextToken()));
            assertThat(page1.items()).extracting(TuningJob::name).containsExactly("b", "d");
            assertThat(page2.items()).extracting(TuningJob::name).containsExactly("f");
        }

        @Test
        void filtersMatchNamesLiterallyInAnyCaseAndTimesExclusively() {
            created("Alpha_1", T0);
            created("alphaX1", T0.plusSeconds(1));
            created("beta%", T0.plusSeconds(2));
            assertThat(list(Optional.of("A_1"), Optional.empty(), Optional.empty())).containsExactly("Alpha_1");
            assertThat(list(Optional.of("%"), Optional.empty(), Optional.empty())).containsExactly("beta%");
            assertThat(list(Optional.of("ALPHA"), Optional.empty(), Optional.empty())).containsExactly("Alpha_1", "alphaX1");
            assertThat(list(Optional.empty(), Optional.of(T0), Optional.of(T0.plusSeconds(2)))).containsExactly("alphaX1");
        }

        private List<String> list(Optional<String> contains, Optional<Instant> after, Optional<Instant> before) {
            return store.listTuningJobs(new TuningJobQuery(contains, after, before, Optional.empty(), Optional.empty(),
                            Optional.empty(), TuningJobQuery.SortBy.NAME, false, 100, Optional.empty()))
                    .items().stream().map(TuningJob::name).toList();
        }

        @Test
        void aTokenFromAnotherSortOrAForgedOneIsRefused() {
            for (String n : List.of("a", "b", "c")) created(n);
            Page<TuningJob> byName = store.listTuningJobs(new TuningJobQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), TuningJobQuery.SortBy.NAME,
                    false, 1, Optional.empty()));
            assertThatThrownBy(() -> store.listTuningJobs(new TuningJobQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    TuningJobQuery.SortBy.CREATION_TIME, false, 1, byName.nextToken())))
                    .isInstanceOf(InvalidTokenException.class);
            assertThatThrownBy(() -> store.listTuningJobs(new TuningJobQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), TuningJobQuery.SortBy.NAME,
                    false, 1, Optional.of("not-a-token")))).isInstanceOf(InvalidTokenException.class);
        }

        @Test
        void trainingJobsSortedByObjectiveLeaveOutTheJobsWithoutOneInEitherOrder() {
            TuningJob tuning = created("t");
            TrainingJob a = trainingJob("t", 1, T0), b = trainingJob("t", 2, T0), c = trainingJob("t", 3, T0);
            add(tuning, null, a, b, c);
            store.updateTrainingJob(finish(a, 0.3, T0.plusSeconds(5)), List.of(), null);
            store.updateTrainingJob(finish(c, 0.1, T0.plusSeconds(6)), List.of(), null);
            for (boolean descending : new boolean[] {false, true}) {
                List<String> names = new ArrayList<>();
                Optional<String> token = Optional.empty();
                do {
                    Page<TrainingJob> page = store.listTrainingJobs(new TrainingJobQuery(Optional.of("T"), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                            TrainingJobQuery.SortBy.OBJECTIVE, descending, 1, token));
                    page.items().forEach(j -> names.add(j.name()));
                    token = page.nextToken();
                } while (token.isPresent());
                assertThat(names).containsExactly(descending ? a.name() : c.name(), descending ? c.name() : a.name());
            }
        }

        @Test
        void trainingJobsFilterByTuningJobStatusAndName() {
            TuningJob t1 = created("one"), t2 = created("two");
            TrainingJob x = trainingJob("one", 1, T0), y = trainingJob("two", 1, T0.plusSeconds(1));
            add(t1, null, x);
            add(t2, null, y);
            store.updateTrainingJob(finish(y, 1.0, T0.plusSeconds(3)), List.of(), null);
            assertThat(names(new TrainingJobQuery(Optional.of("one"), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), TrainingJobQuery.SortBy.NAME, false, 10,
                    Optional.empty()))).containsExactly(x.name());
            assertThat(names(new TrainingJobQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(TrainingJobStatus.COMPLETED),
                    TrainingJobQuery.SortBy.CREATION_TIME, false, 10, Optional.empty()))).containsExactly(y.name());
            assertThat(names(new TrainingJobQuery(Optional.empty(), Optional.of("TWO-001"), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), TrainingJobQuery.SortBy.NAME,
                    false, 10, Optional.empty()))).containsExactly(y.name());
        }

        private List<String> names(TrainingJobQuery q) {
            return store.listTrainingJobs(q).items().stream().map(TrainingJob::name).toList();
        }
    }

    // ---- training jobs

    @Nested
    class TrainingJobs {
        @Test
        void aTrainingJobReadsBackEqualThroughItsWholeLifeAndIsFinalOnceFinished() {
            TuningJob tuning = created("t");
            TrainingJob starting = TrainingJob.starting("t-001-abcdef01", "arn:j", "t", 1, null,
                    Map.of("lr", "0.5", "batch", "64", "note", "quote \" and \\ and é"), Map.of("lr", "0.5"), null,
                    "{\"TuningObjective\":{\"Type\":\"Minimize\",\"MetricName\":\"loss\"}}", T0);
            TuningJob withState = add(tuning.withStrategyState("state"), null, starting);
            assertThat(withState.strategyState()).isEqualTo("state");
            assertThat(store.tuningJob("t")).contains(withState);
            assertThat(store.trainingJob("t-001-abcdef01")).contains(starting);

            TrainingJob launched = starting.launched(new RunHandle("{\"pid\":1}"), T0.plusSeconds(1));
            assertThat(store.updateTrainingJob(launched, List.of(), null)).isTrue();
            assertThat(store.trainingJob("T-001-ABCDEF01")).contains(launched);

            List<MetricPoint> first = List.of(new MetricPoint("loss", 0.75, T0.plusSeconds(2)),
                    new MetricPoint("acc", 0.5, T0.plusSeconds(2)));
            TrainingJob observed = launched.observed(new RunHandle("{\"pid\":1,\"offset\":9}"),
                    List.of(new MetricValue("loss", 0.75, T0.plusSeconds(2)), new MetricValue("acc", 0.5, T0.plusSeconds(2))));
            assertThat(store.updateTrainingJob(observed, first, null)).isTrue();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(observed);
            assertThat(store.unfinishedTrainingJobs()).containsExactly(observed);

            TrainingJob stopping = observed.stopping(new RunHandle("{\"pid\":1,\"stop\":true}"), T0.plusSeconds(3));
            assertThat(store.updateTrainingJob(stopping, List.of(), null)).isTrue();
            MetricPoint last = new MetricPoint("loss", 0.25, T0.plusSeconds(4));
            TrainingJob finished = stopping.finished(TrainingJobStatus.STOPPED, "Stopped", null, false,
                    new RunHandle("{\"pid\":1,\"done\":true}"), List.of(new MetricValue("loss", 0.25, T0.plusSeconds(4)),
                            new MetricValue("acc", 0.5, T0.plusSeconds(2))), 0.25, "file:///m.tar.gz",
                    T0.plusSeconds(5), 4L, "Training job stopped");
            assertThat(store.updateTrainingJob(finished, List.of(last), null)).isTrue();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(finished);
            assertThat(store.metricSeries("t-001-abcdef01")).containsExactly(first.get(0), first.get(1), last);
            assertThat(store.unfinishedTrainingJobs()).isEmpty();

            assertThat(store.updateTrainingJob(launched, List.of(last), null)).as("a finished job is final").isFalse();
            assertThat(store.trainingJob("t-001-abcdef01")).contains(finished);
            assertThat(store.metricSeries("t-001-abcdef01")).hasSize(3);
        }

        @Test
        void trainingJobsOfATuningJobComeInTheOrderTheyWereDecided() {
            TuningJob tuning = created("t");
            TrainingJob second = trainingJob("t", 2, T0), first = trainingJob("t", 1, T0.plusSeconds(1));
            add(tuning, null, second, first);
            assertThat(store.trainingJobsOf("T")).containsExactly(first, second);
            assertThat(store.trainingJobsOf("none")).isEmpty();
        }

        @Test
        void addingOnAStaleTuningJobVersionWritesNoTrainingJob() {
            TuningJob tuning = created("t");
            store.updateTuningJob(tuning.moveTo(TuningJobStatus.STOPPING, T0.plusSeconds(1), null), null).orElseThrow();
            assertThat(store.addTrainingJobs(tuning.withStrategyState("s"), List.of(trainingJob("t", 1, T0)), null)).isEmpty();
            assertThat(store.trainingJobsOf("t")).isEmpty();
            assertThat(store.tuningJob("t").orElseThrow().strategyState()).isNull();
        }

        @Test
        void aStopRequestMarksOnlyARunningJob() {
            TuningJob tuning = created("t");
            TrainingJob running = trainingJob("t", 1, T0), done = trainingJob("t", 2, T0);
            add(tuning, null, running, done);
            store.updateTrainingJob(finish(done, 0.2, T0.plusSeconds(2)), List.of(), null);
            assertThat(store.requestTrainingJobStop(running.name()).orElseThrow().stopRequested()).isTrue();
            assertThat(store.requestTrainingJobStop(done.name()).orElseThrow().stopRequested()).isFalse();
            assertThat(store.requestTrainingJobStop("none")).isEmpty();
        }
    }

    // ---- leases and fencing

    @Nested
    class Leases {
        private static final Duration TTL = Duration.ofSeconds(15);

        @Test
        void aFreeActiveJobIsTakenAndItsLeaseRenewedWithTheSameFence() {
            created("a");
            List<Lease> first = store.acquireLeases("one", T0, TTL, 10);
            assertThat(first).singleElement().satisfies(l -> {
                assertThat(l.owner()).isEqualTo("one");
                assertThat(l.expiresAt()).isEqualTo(T0.plus(TTL));
            });
            List<Lease> renewed = store.acquireLeases("one", T0.plusSeconds(5), TTL, 10);
            assertThat(renewed).singleElement().satisfies(l -> {
                assertThat(l.fence()).isEqualTo(first.getFirst().fence());
                assertThat(l.expiresAt()).isEqualTo(T0.plusSeconds(5).plus(TTL));
            });
        }

        @Test
        void anotherOwnerTakesAJobOnlyOnceItsLeaseHasExpiredAndThenWithAGreaterFence() {
            created("a");
            Lease one = store.acquireLeases("one", T0, TTL, 10).getFirst();
            assertThat(store.acquireLeases("two", T0.plusSeconds(14), TTL, 10)).isEmpty();
            Lease two = store.acquireLeases("two", T0.plusSeconds(16), TTL, 10).getFirst();
            assertThat(two.fence()).isGreaterThan(one.fence());
            assertThat(store.acquireLeases("one", T0.plusSeconds(17), TTL, 0)).as("one lost it").isEmpty();
        }

        @Test
        void releasedLeasesAreTakenAtOnce() {
            created("a");
            store.acquireLeases("one", T0, TTL, 10);
            store.releaseLeases("one");
            assertThat(store.acquireLeases("two", T0.plusSeconds(1), TTL, 10)).hasSize(1);
        }

        @Test
        void maxNewLimitsTheJobsTakenOldestFirst() {
            created("late", T0.plusSeconds(2));
            created("early", T0);
            created("middle", T0.plusSeconds(1));
            assertThat(store.acquireLeases("one", T0, TTL, 2)).extracting(Lease::tuningJobName)
                    .containsExactly("early", "middle");
            assertThat(store.acquireLeases("two", T0, TTL, 5)).extracting(Lease::tuningJobName).containsExactly("late");
        }

        @Test
        void onlyJobsThatNeedDrivingAreLeased() {
            TuningJob done = created("done");
            store.updateTuningJob(done.moveTo(TuningJobStatus.COMPLETED, T0, null), null).orElseThrow();
            TuningJob failing = created("failing");
            failing = add(failing, null, trainingJob("failing", 1, T0));
            store.updateTuningJob(failing.moveTo(TuningJobStatus.FAILED, T0, "x"), null).orElseThrow();
            TuningJob stopping = created("stopping");
            store.updateTuningJob(stopping.moveTo(TuningJobStatus.STOPPING, T0, null), null).orElseThrow();
            assertThat(store.acquireLeases("one", T0, TTL, 10)).extracting(Lease::tuningJobName)
                    .containsExactlyInAnyOrder("failing", "stopping");
        }

        @Test
        void writesWithALeaseThatWasTakenOverAreRefusedAndWriteNothing() {
            TuningJob tuning = created("t");
            Lease old = store.acquireLeases("one", T0, TTL, 10).getFirst();
            TrainingJob job = trainingJob("t", 1, T0);
            tuning = add(tuning, old, job);
            Lease current = store.acquireLeases("two", T0.plusSeconds(20), TTL, 10).getFirst();
            TuningJob stale = tuning;
            assertThatThrownBy(() -> store.updateTuningJob(stale.withStrategyState("x"), old))
                    .isInstanceOf(StaleLeaseException.class);
            assertThatThrownBy(() -> store.addTrainingJobs(stale, List.of(trainingJob("t", 2, T0)), old))
                    .isInstanceOf(StaleLeaseException.class);
            TrainingJob launched = job.launched(new RunHandle("h"), T0.plusSeconds(1));
            assertThatThrownBy(() -> store.updateTrainingJob(launched, List.of(), old))
                    .isInstanceOf(StaleLeaseException.class);
            assertThatThrownBy(() -> store.recordDecisions(List.of(new JobDecision(job.name(), "t",
                    JobDecision.Kind.EARLY_STOPPING, 4, "behind", T0)), old)).isInstanceOf(StaleLeaseException.class);
            assertThat(store.trainingJobsOf("t")).containsExactly(job);
            assertThat(store.decisions("t")).isEmpty();
            assertThat(store.tuningJob("t")).contains(tuning);
            assertThat(store.updateTrainingJob(launched, List.of(), current)).isTrue();
        }
    }

    // ---- decisions

    @Nested
    class Decisions {
        @Test
        void aStopDecisionRequestsTheStopAndAJobKeepsItsFirst() {
            TuningJob tuning = created("t");
            TrainingJob job = trainingJob("t", 1, T0);
            add(tuning, null, job);
            JobDecision promoted = new JobDecision(job.name(), "t", JobDecision.Kind.PROMOTION, 1, "", T0);
            JobDecision stop = new JobDecision(job.name(), "t", JobDecision.Kind.HYPERBAND_STOP, 3, "not among the best", T0.plusSeconds(1));
            store.recordDecisions(List.of(promoted, stop), null);
            store.recordDecisions(List.of(promoted, new JobDecision(job.name(), "t", JobDecision.Kind.EARLY_STOPPING, 5,
                    "later", T0.plusSeconds(2))), null);
            assertThat(store.decisions("T")).containsExactly(promoted, stop);
            assertThat(store.trainingJob(job.name()).orElseThrow().stopRequested()).isTrue();
        }

        @Test
        void aPromotionAloneRequestsNoStopAndNothingIsDecidedForAFinishedJob() {
            TuningJob tuning = created("t");
            TrainingJob running = trainingJob("t", 1, T0), done = trainingJob("t", 2, T0);
            add(tuning, null, running, done);
            store.updateTrainingJob(finish(done, 0.5, T0.plusSeconds(2)), List.of(), null);
            store.recordDecisions(List.of(new JobDecision(running.name(), "t", JobDecision.Kind.PROMOTION, 1, "", T0),
                    new JobDecision(done.name(), "t", JobDecision.Kind.EARLY_STOPPING, 4, "too late", T0)), null);
            assertThat(store.decisions("t")).extracting(JobDecision::trainingJobName).containsExactly(running.name());
            assertThat(store.trainingJob(running.name()).orElseThrow().stopRequested()).isFalse();
        }
    }

    // ---- tags

    @Nested
    class Tags {
        @Test
        void tagsAreAddedOverwrittenInPlaceAndDeleted() {
            TuningJob job = created("t");
            assertThat(store.addTags(job.arn(), List.of(new Tag("a", "1"), new Tag("b", "2")), 50)).isTrue();
            assertThat(store.addTags(job.arn(), List.of(new Tag("a", "3"), new Tag("c", "4")), 50)).isTrue();
            assertThat(store.tags(job.arn())).containsExactly(new Tag("a", "3"), new Tag("b", "2"), new Tag("c", "4"));
            store.deleteTags(job.arn(), List.of("b", "missing"));
            assertThat(store.tags(job.arn())).containsExactly(new Tag("a", "3"), new Tag("c", "4"));
        }

        @Test
        void addingPastTheLimitWritesNothing() {
            TuningJob job = created("t");
            store.addTags(job.arn(), List.of(new Tag("a", "1"), new Tag("b", "2")), 3);
            assertThat(store.addTags(job.arn(), List.of(new Tag("a", "9"), new Tag("c", "3"), new Tag("d", "4")), 3)).isFalse();
            assertThat(store.tags(job.arn())).containsExactly(new Tag("a", "1"), new Tag("b", "2"));
            assertThat(store.addTags(job.arn(), List.of(new Tag("a", "9"), new Tag("c", "3")), 3)).isTrue();
        }
    }

    // ---- the dashboard's signed-out sessions

    @Nested
    class SignOuts {
        @Test
        void aSignedOutSessionIsKnownByItsIdAndExpiryUntilItExpires() {
            Instant expires = T0.plusSeconds(3600);
            assertThat(store.signedOut("s1", expires)).isFalse();
            store.recordSignOut("s1", expires, T0);
            store.recordSignOut("s1", expires, T0);   // a second sign-out of the same session is no error

            assertThat(store.signedOut("s1", expires)).isTrue();
            assertThat(store.signedOut("s1", expires.plusSeconds(1))).isFalse();
            assertThat(store.signedOut("s2", expires)).isFalse();
        }

        @Test
        void sessionsThatExpiredAreForgottenWhenAnotherSignsOut() {
            Instant expires = T0.plusSeconds(3600);
            store.recordSignOut("s1", expires, T0);
            store.recordSignOut("s2", T0.plusSeconds(7200), expires);   // s1 expires just now: still kept
            assertThat(store.signedOut("s1", expires)).isTrue();

            store.recordSignOut("s3", T0.plusSeconds(7200), expires.plusSeconds(1));

            assertThat(store.signedOut("s1", expires)).isFalse();
            assertThat(store.signedOut("s2", T0.plusSeconds(7200))).isTrue();
            assertThat(store.signedOut("s3", T0.plusSeconds(7200))).isTrue();
        }
    }

    @Nested
    class FailedSignIns {
        @Test
        void failuresAreCountedPerClientSinceATimeAndClearedBySigningIn() {
            store.recordFailedSignIn("10.0.0.1", T0, T0.minusSeconds(300));
            store.recordFailedSignIn("10.0.0.1", T0.plusSeconds(10), T0.minusSeconds(290));
            store.recordFailedSignIn("10.0.0.2", T0.plusSeconds(20), T0.minusSeconds(280));
            store.recordFailedSignIn("10.0.0.1", T0.plusSeconds(10), T0.minusSeconds(290));   // two in the same instant

            assertThat(store.failedSignIns("10.0.0.1", T0)).containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(10));
            assertThat(store.failedSignIns("10.0.0.1", T0.plusMillis(1))).containsExactly(T0.plusSeconds(10), T0.plusSeconds(10));
            assertThat(store.failedSignIns("10.0.0.3", T0)).isEmpty();

            store.clearFailedSignIns("10.0.0.1");
            assertThat(store.failedSignIns("10.0.0.1", T0)).isEmpty();
            assertThat(store.failedSignIns("10.0.0.2", T0)).containsExactly(T0.plusSeconds(20));
        }

        @Test
        void failuresBeforeTheWindowAreForgottenWhenAnotherIsRecorded() {
            store.recordFailedSignIn("10.0.0.1", T0, T0.minusSeconds(300));
            store.recordFailedSignIn("10.0.0.2", T0.plusSeconds(400), T0.plusSeconds(100));

            assertThat(store.failedSignIns("10.0.0.1", T0.minusSeconds(1_000))).isEmpty();
        }
    }
}
