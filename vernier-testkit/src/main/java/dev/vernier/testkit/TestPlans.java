package dev.vernier.testkit;

import dev.vernier.core.completion.CompletionCriteria;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.tuning.TuningPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tuning plans for tests, built without any request document: one definition (as the singular
 * TrainingJobDefinition has), the objective {@code loss} minimised unless told otherwise.
 */
public final class TestPlans {
    private final String name;
    private String strategy = "Random";
    private Goal goal = Goal.MINIMIZE;
    private String objective = "loss";
    private int maxJobs = 10;
    private int maxParallel = 1;
    private Long seed;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, String> staticHyperParameters = new LinkedHashMap<>();
    private String image = "file:///bin/true";
    private int maxRetries = TuningPlan.DEFAULT_INTERNAL_RETRIES;
    private TuningPlan.WarmStart warmStart;

    private TestPlans(String name) {
        this.name = name;
    }

    public static TestPlans plan(String tuningJobName) {
        return new TestPlans(tuningJobName);
    }

    public TestPlans strategy(String strategy) {
        this.strategy = strategy;
        return this;
    }

    public TestPlans maximize(String metric) {
        this.goal = Goal.MAXIMIZE;
        this.objective = metric;
        return this;
    }

    public TestPlans minimize(String metric) {
        this.goal = Goal.MINIMIZE;
        this.objective = metric;
        return this;
    }

    public TestPlans jobs(int max, int parallel) {
        this.maxJobs = max;
        this.maxParallel = parallel;
        return this;
    }

    public TestPlans seed(long seed) {
        this.seed = seed;
        return this;
    }

    public TestPlans continuous(String name, double min, double max) {
        parameters.add(new ContinuousParameter(name, min, max, Scaling.AUTO));
        return this;
    }

    public TestPlans integer(String name, long min, long max) {
        parameters.add(new IntegerParameter(name, min, max, Scaling.AUTO));
        return this;
    }

    public TestPlans categorical(String name, String... values) {
        parameters.add(new CategoricalParameter(name, List.of(values)));
        return this;
    }

    public TestPlans staticHyperParameter(String name, String value) {
        staticHyperParameters.put(name, value);
        return this;
    }

    public TestPlans image(String trainingImage) {
        this.image = trainingImage;
        return this;
    }

    public TestPlans maxRetries(int retries) {
        this.maxRetries = retries;
        return this;
    }

    public TestPlans warmStart(boolean identicalDataAndAlgorithm, String... parents) {
        this.warmStart = new TuningPlan.WarmStart(List.of(parents), identicalDataAndAlgorithm);
        return this;
    }

    public TuningPlan build() {
        String type = goal == Goal.MAXIMIZE ? "Maximize" : "Minimize";
        TuningPlan.DefinitionPlan definition = new TuningPlan.DefinitionPlan(null, objective, goal,
                staticHyperParameters, image, "File",
                List.of(new MetricDefinition(objective, objective + "=([-+0-9.eE]+)")), List.of(),
                "file:///tmp/vernier-test-output", new TrainingJobSpec.Resources("ml.m5.large", 1, 1), 86_400, false,
                Map.of(), maxRetries,
                "{\"TuningObjective\":{\"Type\":\"" + type + "\",\"MetricName\":\"" + objective + "\"}}");
        return new TuningPlan(name, strategy, goal, maxJobs, maxParallel, seed == null ? TuningPlan.defaultSeed(name) : seed,
                new SearchSpace(List.of(new Subspace(null, parameters))), Map.of(TuningPlan.SINGLE, definition),
                CompletionCriteria.NONE, 0, false, warmStart, null);
    }
}
