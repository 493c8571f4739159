package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.space.Value;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.random.RandomStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class BayesianStrategyTest {
    private static final SearchSpace SQUARE = SearchSpace.of(List.of(
            new ContinuousParameter("x", -5, 5, Scaling.LINEAR), new ContinuousParameter("y", -5, 5, Scaling.LINEAR),
            new ContinuousParameter("z", -5, 5, Scaling.LINEAR)));
    private static final ToDoubleFunction<Configuration> QUADRATIC = c ->
            Math.pow(v(c, "x") - 1.3, 2) + Math.pow(v(c, "y") + 2.1, 2) + Math.pow(v(c, "z") - 0.4, 2);

    private static double v(Configuration c, String name) {
        return ((Value.Real) c.values().get(name)).value();
    }

    /** A sequential run; returns the history. */
    private static List<Observation> run(Strategy s, SearchSpace space, ToDoubleFunction<Configuration> f, Goal goal,
                                         long seed, int evals) {
        List<Observation> history = new ArrayList<>();
        String state = null;
        while (history.size() < evals) {
            Proposal p = s.propose(new ProposalRequest(space, goal, history, state, seed, 1));
            state = p.state();
            Configuration c = p.configurations().getFirst();
            history.add(Observation.succeeded(c, f.applyAsDouble(c)));
        }
        return history;
    }

    private static double best(List<Observation> history) {
        return history.stream().mapToDouble(Observation::objective).min().orElseThrow();
    }

    @Test
    void beatsRandomOnAQuadraticWithTheSameBudget() {
        for (long seed = 0; seed < 3; seed++) {
            double bayes = best(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, seed, 25));
            double random = best(run(new RandomStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, seed, 25));
            assertThat(bayes).as("seed %d", seed).isLessThan(0.05).isLessThan(random / 10);
        }
    }

    @Test
    void maximisesWhenTheGoalSaysSo() {
        List<Observation> h = run(new BayesianStrategy(), SQUARE, c -> -QUADRATIC.applyAsDouble(c), Goal.MAXIMIZE, 1, 25);
        assertThat(h.stream().mapToDouble(Observation::objective).max().orElseThrow()).isGreaterThan(-0.05);
    }

    @Test
    void theSameRequestGivesTheSameProposal() {
        List<Observation> history = run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 7, 12);
        ProposalRequest request = new ProposalRequest(SQUARE, Goal.MINIMIZE, history, null, 7, 3);
        assertThat(new BayesianStrategy().propose(request)).isEqualTo(new BayesianStrategy().propose(request));
        assertThat(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 7, 14))
                .isEqualTo(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 7, 14));
    }

    @Test
    void parallelProposalsWithPendingJobsAreDistinctAndSpreadOut() {
        List<Observation> history = new ArrayList<>(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 2, 12));
        Proposal first = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, null, 2, 2));
        first.configurations().forEach(c -> history.add(Observation.pending(c)));
        Proposal batch = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, first.state(), 2, 4));
        List<Configuration> all = new ArrayList<>(first.configurations());
        all.addAll(batch.configurations());
        assertThat(batch.configurations()).hasSize(4);
        assertThat(new HashSet<>(all)).hasSize(6);
        SpaceEncoding e = new SpaceEncoding(SQUARE);
        for (int i = 0; i < all.size(); i++)
            for (int j = 0; j < i; j++) {
                double[] a = e.encode(all.get(i));
                double[] b = e.encode(all.get(j));
                double d = 0;
                for (int k = 0; k < a.length; k++) d += (a[k] - b[k]) * (a[k] - b[k]);
                assertThat(Math.sqrt(d)).as("distance %d-%d", i, j).isGreaterThan(0.01);
            }
    }

    /** A point of SQUARE by its coordinates in the unit cube. */
    private static Configuration at(double x, double y, double z) {
        return new SpaceEncoding(SQUARE).decode(new double[] {x, y, z});
    }

    private static double distanceToOptimum(Configuration c) { // sqrt of the quadratic
        return Math.sqrt(QUADRATIC.applyAsDouble(c));
    }

    /** A 15-job sequential history on the quadratic, plus three pending jobs far from its optimum. */
    private static List<Observation> historyWithFarPendingJobs() {
        List<Observation> history = new ArrayList<>(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 3, 15));
        history.add(Observation.pending(at(0.05, 0.95, 0.05)));
        history.add(Observation.pending(at(0.95, 0.95, 0.95)));
        history.add(Observation.pending(at(0.05, 0.05, 0.95)));
        return history;
    }

    /**
     * A failed job joins the posterior at the worst value; when it shares a succeeded job's
     * configuration (a warm-start parent's job, or a job that failed once and succeeded elsewhere),
     * the posterior has two identical rows that disagree, and only the noise floor keeps the
     * covariance positive definite: the model must still be used (a model-based proposal carries a
     * state; the random fallback carries none). The same for a success a hair from another one.
     */
    @Test
    void repeatedAndNearlyRepeatedConfigurationsStillGiveAModelBasedProposal() {
        List<Observation> history = new ArrayList<>(run(new BayesianStrategy(), SQUARE, QUADRATIC, Goal.MINIMIZE, 4, 15));
        history.add(Observation.failed(history.get(3).configuration()));
        history.add(Observation.failed(history.get(9).configuration()));
        double[] u = new SpaceEncoding(SQUARE).encode(history.get(5).configuration());
        Configuration twin = at(u[0] + 1e-9, u[1], u[2]);
        history.add(Observation.succeeded(twin, QUADRATIC.applyAsDouble(twin)));

        Proposal p = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, null, 4, 2));

        assertThat(p.state()).isNotNull();
        assertThat(p.configurations()).hasSize(2).doesNotHaveDuplicates()
                .noneMatch(c -> history.stream().anyMatch(o -> o.configuration().equals(c)));
    }

    @Test
    void aPendingJobRefinesAPointOnlyWithinTheRefiningRadiusInKernelLengths() {
        // inverse squared lengthscales 100 and 1: lengthscales 0.1 and 1 cube widths; radius 0.6 of them
        assertThat(BayesianStrategy.REFINING_RADIUS).isEqualTo(0.6);
        KernelParameters params = new KernelParameters(new double[] {100, 1}, 1.0, 1e-4);
        double[] point = {0.5, 0.5};
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of(new double[] {0.55, 0.5}))).isTrue();
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of(new double[] {0.5, 1.0}))).isTrue();
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of(new double[] {0.57, 0.5}))).isFalse();
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of(new double[] {0.5, 0.0}, new double[] {0.1, 0.5}))).isTrue();
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of(new double[] {0.1, 0.1}, new double[] {0.5, 1.2}))).isFalse();
        assertThat(BayesianStrategy.alreadyRefined(params, point, List.of())).isFalse();
    }

    @Test
    void thePosteriorMeanAsAnAcquisitionIsHighestAtTheLowestPrediction() {
        GaussianProcess gp = GaussianProcess.condition(new double[][] {{0.2}, {0.5}, {0.8}}, new double[] {1, -1, 1},
                new KernelParameters(new double[] {10}, 1.0, 1e-4));
        PosteriorMean mean = new PosteriorMean(gp);
        assertThat(mean.value(new double[] {0.5})).isGreaterThan(mean.value(new double[] {0.4})).isGreaterThan(mean.value(new double[] {0.2}));
        double[] g = new double[1];
        mean.value(new double[] {0.4}, g);
        assertThat(g[0]).isPositive(); // uphill towards 0.5
    }

    @Test
    void aPendingJobAlreadyRefiningTheBestSendsTheNextProposalElsewhere() {
        List<Observation> history = historyWithFarPendingJobs();
        Configuration refining = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, null, 3, 1))
                .configurations().getFirst();
        history.add(Observation.pending(refining));
        Configuration next = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, null, 3, 1))
                .configurations().getFirst();
        assertThat(distanceToOptimum(refining)).isLessThan(0.2);
        double d = Math.sqrt(Math.pow(v(next, "x") - v(refining, "x"), 2) + Math.pow(v(next, "y") - v(refining, "y"), 2)
                + Math.pow(v(next, "z") - v(refining, "z"), 2));
        assertThat(d).isGreaterThan(0.05);
    }

    @Test
    void theSameRequestWithPendingJobsGivesTheSameProposal() {
        ProposalRequest request = new ProposalRequest(SQUARE, Goal.MINIMIZE, historyWithFarPendingJobs(), null, 3, 3);
        assertThat(new BayesianStrategy().propose(request)).isEqualTo(new BayesianStrategy().propose(request));
    }

    @Test
    void withJobsRunningTheModelTakesOverOnceTheDesignIsProposedAndHalfOfItSucceeded() {
        assertThat(BayesianStrategy.inWarmUp(5, 0, 6)).isTrue();
        assertThat(BayesianStrategy.inWarmUp(6, 0, 6)).isFalse();
        assertThat(BayesianStrategy.inWarmUp(3, 3, 6)).isFalse();
        assertThat(BayesianStrategy.inWarmUp(2, 3, 6)).isTrue();
        assertThat(BayesianStrategy.inWarmUp(2, 4, 6)).isTrue();
        assertThat(BayesianStrategy.inWarmUp(3, 2, 5)).isFalse();
    }

    @Test
    void neverRepeatsAConfigurationInASmallMixedSpaceAndStaysOnValidValues() {
        SearchSpace small = SearchSpace.of(List.of(new IntegerParameter("n", 1, 5, Scaling.LINEAR),
                new CategoricalParameter("c", List.of("a", "b", "c"))));
        List<Observation> h = run(new BayesianStrategy(), small,
                c -> Math.abs(((Value.Int) c.values().get("n")).value() - 3) + (c.values().get("c").equals(new Value.Choice("b")) ? 0 : 1),
                Goal.MINIMIZE, 4, 15);
        assertThat(h.stream().map(Observation::configuration).distinct()).hasSize(15);
    }

    @Test
    void failedJobsAreNotProposedAgainAndTheSearchGoesOn() {
        List<Observation> history = new ArrayList<>();
        String state = null;
        for (int i = 0; i < 20; i++) {
            Proposal p = new BayesianStrategy().propose(new ProposalRequest(SQUARE, Goal.MINIMIZE, history, state, 9, 1));
            state = p.state();
            Configuration c = p.configurations().getFirst();
            // everything with x > 2 fails
            history.add(v(c, "x") > 2 ? Observation.failed(c) : Observation.succeeded(c, QUADRATIC.applyAsDouble(c)));
        }
        assertThat(history.stream().map(Observation::configuration).distinct()).hasSize(20);
        assertThat(history.stream().filter(o -> o.outcome() == Observation.Outcome.SUCCEEDED)
                .mapToDouble(Observation::objective).min().orElseThrow()).isLessThan(0.5);
    }

    @Test
    void beyondTheCapTheModelKeepsTheBestHalfAndASpreadOfTheRest() {
        double[] y = new double[1000];
        for (int i = 0; i < y.length; i++) y[i] = (i * 7919) % 1000;
        int[] rows = BayesianStrategy.subset(y, 300);
        assertThat(rows).hasSize(300).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(rows).filter(i -> y[i] < 150).count()).isEqualTo(150);
    }
}
