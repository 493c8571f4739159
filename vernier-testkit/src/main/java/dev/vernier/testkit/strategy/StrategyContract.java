package dev.vernier.testkit.strategy;

import static dev.vernier.testkit.strategy.Histories.plus;
import static dev.vernier.testkit.strategy.Histories.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import dev.vernier.testkit.strategy.ContractSpaces.NamedSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link Strategy} does, over the spaces of {@link ContractSpaces} (those it can search):
 * proposals lie inside the space; the same request gives the same proposal; the count is honoured;
 * no configuration of the history, pending ones included, is proposed again while the space has
 * others; the state handed back continues the sequence; failed jobs and both goals are accepted.
 * What differs between strategies is declared in {@link Capabilities}.
 *
 * <p>Histories are made without the strategy under test ({@link Histories}) and kept short (at most
 * ten jobs, enough to leave a Bayesian warm-up on these spaces), so the suite stays fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StrategyContract {
    private static final int HISTORY = 10;
    private static final long SEED = 7;

    /**
     * What a strategy promises beyond the common contract.
     *
     * @param categoricalOnly searches categorical ranges only and refuses others (Grid)
     * @param usesSeed different seeds give different proposals; otherwise the seed changes nothing
     * @param stopsWhenExhausted proposes each configuration of a finite space once, then nothing;
     *     otherwise, once every configuration has been tried, it proposes tried ones again
     * @param batchInvariant proposing n at once gives the same configurations as proposing them a few
     *     at a time with the earlier ones pending (the state handed back each time)
     */
    public record Capabilities(boolean categoricalOnly, boolean usesSeed, boolean stopsWhenExhausted,
                               boolean batchInvariant) {}

    /** The strategy under test; may be a new instance on each call. */
    protected abstract Strategy strategy();

    protected abstract Capabilities capabilities();

    /** The spaces the strategy can search. */
    protected Stream<NamedSpace> spaces() {
        return ContractSpaces.ALL.stream().filter(s -> !capabilities().categoricalOnly() || s.categoricalOnly());
    }

    /** Spaces small enough to exhaust in a test. */
    protected Stream<NamedSpace> finiteSpaces() {
        return spaces().filter(s -> s.size() >= 0 && s.size() <= 24);
    }

    /** Spaces with far more configurations than a test proposes. */
    protected Stream<NamedSpace> largeSpaces() {
        return spaces().filter(s -> s.size() < 0 || s.size() > 1000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void everyProposalLiesInsideTheSpace(NamedSpace s) {
        for (List<Observation> history : List.of(List.<Observation>of(), succeeded(s.space(), historySize(s), 1), mixed(s))) {
            Proposal p = propose(s, history, null, SEED, 6, Goal.MINIMIZE);
            assertThat(p.configurations()).isNotEmpty().allSatisfy(c -> Membership.assertInside(s.space(), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void theSameRequestGivesTheSameProposal(NamedSpace s) {
        List<Observation> history = succeeded(s.space(), historySize(s), 2);
        Proposal earlier = propose(s, history, null, SEED, 2, Goal.MINIMIZE);
        for (ProposalRequest request : List.of(
                new ProposalRequest(s.space(), Goal.MINIMIZE, List.of(), null, SEED, 3),
                new ProposalRequest(s.space(), Goal.MAXIMIZE, plus(history, pending(earlier)), earlier.state(), SEED, 3)))
            assertThat(strategy().propose(request)).isEqualTo(strategy().propose(request));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void theSeedChangesTheProposalsExactlyWhenTheStrategyUsesOne(NamedSpace s) {
        List<Observation> history = succeeded(s.space(), historySize(s), 3);
        List<Configuration> one = propose(s, List.of(), null, 1, 5, Goal.MINIMIZE).configurations();
        List<Configuration> two = propose(s, List.of(), null, 2, 5, Goal.MINIMIZE).configurations();
        if (capabilities().usesSeed()) {
            assertThat(one).isNotEqualTo(two);
        } else {
            assertThat(one).isEqualTo(two);
            assertThat(propose(s, history, null, 1, 3, Goal.MINIMIZE)).isEqualTo(propose(s, history, null, 2, 3, Goal.MINIMIZE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void theCountIsHonoured(NamedSpace s) {
        List<Observation> history = succeeded(s.space(), historySize(s), 4);
        for (List<Observation> h : List.of(List.<Observation>of(), history)) {
            assertThat(propose(s, h, null, SEED, 0, Goal.MINIMIZE).configurations()).isEmpty();
            assertThat(propose(s, h, null, SEED, 1, Goal.MINIMIZE).configurations()).hasSize(1);
            assertThat(propose(s, h, null, SEED, 3, Goal.MINIMIZE).configurations()).hasSize(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finiteSpaces")
    void aFiniteSpaceIsProposedWholeWithoutRepeatsInOneCall(NamedSpace s) {
        int size = (int) s.size();
        List<Configuration> all = propose(s, List.of(), null, SEED, size + 3, Goal.MINIMIZE).configurations();
        assertExhaustedWithoutRepeats(s, all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finiteSpaces")
    void aFiniteSpaceIsProposedWholeWithoutRepeatsAFewAtATime(NamedSpace s) {
        int size = (int) s.size();
        List<Observation> history = new ArrayList<>();
        String state = null;
        for (int round = 0; history.size() < size + 3 && round < size + 3; round++) {
            Proposal p = propose(s, history, state, SEED, Math.min(4, size + 3 - history.size()), Goal.MINIMIZE);
            state = p.state();
            for (Configuration c : p.configurations()) history.add(Observation.succeeded(c, Histories.objective(s.space(), c)));
        }
        assertExhaustedWithoutRepeats(s, history.stream().map(Observation::configuration).toList());
        if (capabilities().stopsWhenExhausted())
            assertThat(propose(s, history, state, SEED, 4, Goal.MINIMIZE).configurations()).as("after the last").isEmpty();
    }

    @Test
    void aSpaceOfOnePointIsProposedOnceAndThenAsDeclared() {
        NamedSpace s = capabilities().categoricalOnly() ? ContractSpaces.ONE_CHOICE : ContractSpaces.ONE_POINT;
        List<Observation> history = new ArrayList<>();
        String state = null;
        for (int round = 0; round < 8; round++) {
            Proposal p = propose(s, history, state, SEED, 1, Goal.MINIMIZE);
            state = p.state();
            p.configurations().forEach(c -> history.add(Observation.succeeded(c, 1.0)));
        }
        assertThat(configurations(history)).allSatisfy(c -> Membership.assertInside(s.space(), c))
                .hasSize(capabilities().stopsWhenExhausted() ? 1 : 8);
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("largeSpaces")
    void manyProposalsInALargeSpaceAreDistinct(NamedSpace s) {
        List<Configuration> twenty = propose(s, List.of(), null, SEED, 20, Goal.MINIMIZE).configurations();
        assertThat(twenty).hasSize(20).doesNotHaveDuplicates();
        // after a history too; 20 at once only in the continuous space, as a model-based batch costs seconds
        List<Observation> history = succeeded(s.space(), HISTORY, 5);
        int count = s.equals(ContractSpaces.CONTINUOUS) ? 20 : 8;
        assertThat(propose(s, history, null, SEED, count, Goal.MINIMIZE).configurations()).hasSize(count)
                .doesNotHaveDuplicates().noneMatch(tried(history)::contains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void pendingConfigurationsAreNotProposedAgain(NamedSpace s) {
        List<Observation> history = succeeded(s.space(), historySize(s), 6);
        int count = room(s, history.size()) / 2;
        // what the strategy would propose next, then the same request with those jobs running
        Proposal first = propose(s, history, null, SEED, count, Goal.MINIMIZE);
        List<Observation> withPending = plus(history, pending(first));
        Proposal next = propose(s, withPending, first.state(), SEED, count, Goal.MINIMIZE);

        assertThat(next.configurations()).hasSize(count).doesNotHaveDuplicates()
                .noneMatch(tried(withPending)::contains)
                .allSatisfy(c -> Membership.assertInside(s.space(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void theStateHandedBackContinuesTheSequence(NamedSpace s) {
        List<Observation> history = new ArrayList<>();
        String state = null;
        for (int round = 0; round < 3; round++) {
            Proposal p = propose(s, history, state, SEED, 2, Goal.MINIMIZE);
            assertThat(p.configurations()).as("round %d", round).hasSize(2).noneMatch(tried(history)::contains);
            history.addAll(pending(p));
            state = p.state();
        }
        assertThat(configurations(history)).doesNotHaveDuplicates();
        if (capabilities().batchInvariant())
            assertThat(configurations(history)).isEqualTo(propose(s, List.of(), null, SEED, 6, Goal.MINIMIZE).configurations());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void aLostStateRepeatsNothingOfTheHistory(NamedSpace s) {
        Proposal first = propose(s, List.of(), null, SEED, 2, Goal.MINIMIZE);
        List<Observation> history = pending(first);
        Proposal second = propose(s, history, first.state(), SEED, 2, Goal.MINIMIZE);
        history = plus(history, pending(second));

        assertThat(propose(s, history, null, SEED, 2, Goal.MINIMIZE).configurations()).hasSize(2)
                .noneMatch(tried(history)::contains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void failedJobsAreToleratedAndNotProposedAgain(NamedSpace s) {
        int n = historySize(s);
        List<Observation> allFailed = Histories.distinct(s.space(), n, 8).stream().map(Observation::failed).toList();
        for (List<Observation> history : List.of(allFailed, mixed(s))) {
            int count = Math.min(3, room(s, history.size()));
            assertThat(propose(s, history, null, SEED, count, Goal.MINIMIZE).configurations()).hasSize(count)
                    .noneMatch(tried(history)::contains)
                    .allSatisfy(c -> Membership.assertInside(s.space(), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void bothGoalsAreAccepted(NamedSpace s) {
        List<Observation> history = succeeded(s.space(), historySize(s), 9);
        int count = Math.min(3, room(s, history.size()));
        for (Goal goal : Goal.values())
            assertThat(propose(s, history, null, SEED, count, goal).configurations()).as("%s", goal).hasSize(count)
                    .noneMatch(tried(history)::contains)
                    .allSatisfy(c -> Membership.assertInside(s.space(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void objectivesThatSayLittleOrOverflowAreTolerated(NamedSpace s) {
        List<Configuration> cs = Histories.distinct(s.space(), historySize(s), 11);
        // all equal; then finite values that overflow a sum or a square (a diverged loss, a float's maximum)
        double[] extremes = {0.25, -1e308, 3.4e38, 1e308, 1e-300, -0.5, Double.MAX_VALUE, 0, 1e200, -1e200};
        for (boolean equal : new boolean[] {true, false}) {
            List<Observation> history = new ArrayList<>();
            for (int i = 0; i < cs.size(); i++) history.add(Observation.succeeded(cs.get(i), equal ? 1.0 : extremes[i % extremes.length]));
            int count = Math.min(3, room(s, history.size()));
            assertThat(propose(s, history, null, SEED, count, Goal.MINIMIZE).configurations()).as(equal ? "equal" : "extreme")
                    .hasSize(count).noneMatch(tried(history)::contains)
                    .allSatisfy(c -> Membership.assertInside(s.space(), c));
        }
    }

    @Test
    void rangesItCannotSearchAreRefused() {
        assumeTrue(capabilities().categoricalOnly(), "searches every kind of range");
        for (NamedSpace s : List.of(ContractSpaces.CONTINUOUS, ContractSpaces.INTEGER, ContractSpaces.MIXED))
            assertThatThrownBy(() -> propose(s, List.of(), null, SEED, 1, Goal.MINIMIZE)).as(s.name())
                    .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected Proposal propose(NamedSpace s, List<Observation> history, String state, long seed, int count, Goal goal) {
        Proposal p = strategy().propose(new ProposalRequest(s.space(), goal, history, state, seed, count));
        assertThat(p).as("proposal").isNotNull();
        return p;
    }

    /** The first {@code size} proposals are every configuration once; then nothing, or repeats, as the strategy declares. */
    private void assertExhaustedWithoutRepeats(NamedSpace s, List<Configuration> all) {
        int size = (int) s.size();
        all.forEach(c -> Membership.assertInside(s.space(), c));
        if (capabilities().stopsWhenExhausted()) {
            assertThat(all).as("stops at the size of the space").hasSize(size);
        } else {
            assertThat(all).as("the count honoured past the size of the space").hasSize(size + 3);
        }
        assertThat(all.subList(0, size)).as("the first %d", size).doesNotHaveDuplicates();
    }

    /** Six succeeded, two failed and two pending jobs (fewer in a small space). */
    private List<Observation> mixed(NamedSpace s) {
        List<Configuration> cs = Histories.distinct(s.space(), historySize(s), 10);
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            Configuration c = cs.get(i);
            int kind = i % 5;
            out.add(kind == 3 ? Observation.failed(c) : kind == 4 ? Observation.pending(c)
                    : Observation.succeeded(c, Histories.objective(s.space(), c)));
        }
        return out;
    }

    /** Ten jobs, or half the space when that is smaller (so that there is room to propose). */
    private static int historySize(NamedSpace s) {
        return s.size() < 0 ? HISTORY : (int) Math.min(HISTORY, s.size() / 2);
    }

    /** How many configurations the space has besides {@code used} tried ones (a test asks for at most 6). */
    private static int room(NamedSpace s, int used) {
        return s.size() < 0 ? 6 : (int) Math.min(6, s.size() - used);
    }

    private static List<Observation> pending(Proposal p) {
        return p.configurations().stream().map(Observation::pending).toList();
    }

    /** The configurations of a history, which are not to be proposed again while others are left. */
    private static Set<Configuration> tried(List<Observation> history) {
        return new HashSet<>(configurations(history));
    }

    private static List<Configuration> configurations(List<Observation> history) {
        return history.stream().map(Observation::configuration).toList();
    }
}
