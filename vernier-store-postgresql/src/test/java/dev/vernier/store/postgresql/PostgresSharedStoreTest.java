package dev.vernier.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.store.Lease;
import dev.vernier.core.store.StaleLeaseException;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.testkit.store.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores on one database, as two servers have them: what one writes, the other sees, and they never both win. */
class PostgresSharedStoreTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(15);
    private PostgresStore one;
    private PostgresStore two;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void open() {
        TestPostgres.requireAvailable();
        PostgresDatabase db = PostgresDatabase.parse(TestPostgres.url(TestPostgres.newSchema("shared")), Optional.empty(), Map.of());
        one = PostgresStore.open(db);
        two = PostgresStore.open(db);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (one != null) one.close();
        if (two != null) two.close();
    }

    private static TuningJob job(String name, Instant at) {
        return TuningJob.created(name, "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/" + name,
                "Random", at, "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
    }

    @Test
    void aJobCreatedThroughOneIsReadThroughTheOtherAtOnce() {
        assertThat(one.createTuningJob(job("seen", T0), List.of())).isTrue();
        assertThat(two.tuningJob("SEEN")).contains(job("seen", T0));
    }

    @Test
    void racingCreatesOfOneNameOnTwoStoresCreateItOnceAndFailNone() throws Exception {
        for (int round = 0; round < 20; round++) {
            String name = "race-" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (PostgresStore s : List.of(one, two, one, two))
                results.add(pool.submit(() -> {
                    go.await();
                    return s.createTuningJob(job(name, T0), List.of());
                }));
            go.countDown();
            int created = 0;
            for (Future<Boolean> f : results) if (f.get()) created++;
            assertThat(created).as(name).isEqualTo(1);
        }
    }

    @Test
    void racingLeaseTakersOnTwoStoresLeaseEveryJobToExactlyOneOwner() throws Exception {
        for (int i = 0; i < 30; i++) one.createTuningJob(job("j" + i, T0.plusMillis(i)), List.of());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Lease>>> results = new ArrayList<>();
        String[] owners = {"a", "b", "c", "d"};
        for (int i = 0; i < owners.length; i++) {
            PostgresStore s = i % 2 == 0 ? one : two;
            String owner = owners[i];
            results.add(pool.submit(() -> {
                go.await();
                List<Lease> last = List.of();
                for (int n = 0; n < 5; n++) last = s.acquireLeases(owner, T0, TTL, 3);
                return last;
            }));
        }
        go.countDown();
        Set<String> leased = new HashSet<>();
        for (Future<List<Lease>> f : results)
            for (Lease l : f.get()) assertThat(leased.add(l.tuningJobName())).as("%s leased twice", l.tuningJobName()).isTrue();
        assertThat(leased).hasSize(30);
    }

    @Test
    void aTakeoverAndTheOldOwnersWritesNeverBothSucceed() throws Exception {
        TuningJob created = job("contested", T0);
        one.createTuningJob(created, List.of());
        Lease old = one.acquireLeases("old", T0, TTL, 1).getFirst();
        CountDownLatch go = new CountDownLatch(1);
        // the old owner keeps writing (each write reads the version back) while the new one takes over
        Future<Integer> writes = pool.submit(() -> {
            go.await();
            int done = 0;
            while (true) {
                TuningJob current = one.tuningJob("contested").orElseThrow();
                try {
                    if (one.updateTuningJob(current.withStrategyState("old-" + done), old).isPresent()) done++;
                } catch (StaleLeaseException e) {
                    return done;
                }
            }
        });
        record Takeover(Lease lease, long versionSeen) {}
        Callable<Takeover> takeover = () -> {
            go.await();
            Thread.sleep(50);
            Lease lease = two.acquireLeases("new", T0.plus(TTL).plusSeconds(1), TTL, 1).getFirst();
            return new Takeover(lease, two.tuningJob("contested").orElseThrow().version());
        };
        Future<Takeover> taken = pool.submit(takeover);
        go.countDown();
        Lease now = taken.get().lease();
        int oldWrites = writes.get();
        assertThat(now.fence()).isGreaterThan(old.fence());
        TuningJob after = two.tuningJob("contested").orElseThrow();
        assertThat(oldWrites).as("the old owner wrote before the takeover").isPositive();
        assertThat(after.version()).as("every write the old owner was told succeeded").isEqualTo(oldWrites);
        assertThat(after.version()).as("no write of the old owner landed after the takeover").isEqualTo(taken.get().versionSeen());
        assertThat(two.updateTuningJob(after.withStrategyState("new"), now)).isPresent();
        assertThatThrownBy(() -> one.updateTuningJob(two.tuningJob("contested").orElseThrow().withStrategyState("late"), old))
                .isInstanceOf(StaleLeaseException.class);
    }
}
