package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.strategy.grid.GridStrategy;
import dev.vernier.protocol.model.Violations;
import dev.vernier.protocol.sagemaker.TuningJobRequestRules.Definition;
import java.util.ArrayList;
import java.util.List;

import static dev.vernier.protocol.sagemaker.TuningJobRequestRules.CONFIG;

/** Rules that depend on the search strategy: Grid, Hyperband, and the training-job budget. */
final class StrategyRules {
    private StrategyRules() {}

    static void check(JsonNode config, List<Definition> definitions, Violations v) {
        String strategy = config.path("Strategy").asText();
        JsonNode maxJobs = config.path("ResourceLimits").get("MaxNumberOfTrainingJobs");
        String maxJobsPath = CONFIG + ".resourceLimits.maxNumberOfTrainingJobs";
        if (strategy.equals("Grid")) {
            grid(definitions, maxJobs, maxJobsPath, config.get("Strategy"), v);
        } else if (maxJobs == null && !strategy.isEmpty()) {
            v.add(maxJobsPath, null, "Member must not be null when Strategy is " + strategy);
        }
        JsonNode hyperband = config.path("StrategyConfig").get("HyperbandStrategyConfig");
        if (strategy.equals("Hyperband")) {
            hyperband(config, hyperband, definitions, v);
        } else if (hyperband != null) {
            v.add(CONFIG + ".strategyConfig.hyperbandStrategyConfig", hyperband,
                    "HyperbandStrategyConfig may only be given when Strategy is Hyperband");
        }
    }

    /**
     * Grid searches categorical ranges only; it runs every combination once, so MaxNumberOfTrainingJobs
     * may be left out, and when given must equal the number of combinations (SageMaker's guide).
     */
    private static void grid(List<Definition> definitions, JsonNode maxJobs, String maxJobsPath, JsonNode strategy,
                             Violations v) {
        boolean categoricalOnly = true;
        for (Definition d : definitions) {
            if (d.ranges() == null) continue;
            for (String list : new String[] {"IntegerParameterRanges", "ContinuousParameterRanges"}) {
                if (d.ranges().path(list).size() > 0) {
                    categoricalOnly = false;
                    v.add(d.rangesPath() + "." + Violations.pathName(list), d.ranges().get(list),
                            "The Grid strategy supports only CategoricalParameterRanges");
                }
            }
        }
        if (!categoricalOnly) return;
        long combinations;
        try {
            combinations = combinations(definitions);
        } catch (ArithmeticException e) {
            v.add(CONFIG + ".strategy", strategy, "The Grid strategy runs every distinct combination of the categorical "
                    + "values, and these have more than " + Long.MAX_VALUE);
            return;
        }
        if (maxJobs != null && combinations > 0 && combinations != maxJobs.asLong()) {
            v.add(maxJobsPath, maxJobs, "With the Grid strategy, MaxNumberOfTrainingJobs must be left out or equal "
                    + "the number of distinct combinations of the categorical values (" + combinations + ")");
        }
    }

    /**
     * {@link GridStrategy#size} of the request's search space, read as Create will plan it; 0 when the
     * ranges do not make a grid (missing, empty, repeated values: other rules report those).
     *
     * @throws ArithmeticException when the number does not fit a long
     */
    private static long combinations(List<Definition> definitions) {
        List<Subspace> subspaces = new ArrayList<>();
        for (Definition d : definitions) {
            if (d.ranges() == null || d.ranges().path("CategoricalParameterRanges").isEmpty()) return 0;
            try {
                subspaces.add(new Subspace(null, TuningPlans.parameters(d.ranges())));
            } catch (IllegalArgumentException e) {
                return 0;
            }
        }
        return subspaces.isEmpty() ? 0 : GridStrategy.size(new SearchSpace(subspaces));
    }

    private static void hyperband(JsonNode config, JsonNode hyperband, List<Definition> definitions, Violations v) {
        String path = CONFIG + ".strategyConfig.hyperbandStrategyConfig";
        JsonNode stopping = config.get("TrainingJobEarlyStoppingType");
        if (stopping != null && !stopping.asText().equals("Off")) {
            v.add(CONFIG + ".trainingJobEarlyStoppingType", stopping,
                    "Must be Off with the Hyperband strategy, which has its own early stopping");
        }
        JsonNode min = hyperband == null ? null : hyperband.get("MinResource");
        JsonNode max = hyperband == null ? null : hyperband.get("MaxResource");
        if (max != null) {
            if (max.asLong() > TuningJobRequestRules.MAX_HYPERBAND_RESOURCE) {
                v.add(path + ".maxResource", max, "Member must have value less than or equal to "
                        + TuningJobRequestRules.MAX_HYPERBAND_RESOURCE);
            }
            if (min != null && min.asLong() > max.asLong()) {
                v.add(path + ".minResource", min, "MinResource must be less than or equal to MaxResource '" + max.asText() + "'");
            }
            return;
        }
        for (Definition d : definitions) {
            inferredMaxResource(d, min, path, v);
        }
    }

    /** Per the MaxResource documentation: inferred from epochs-like static hyperparameters, else an error. */
    private static void inferredMaxResource(Definition d, JsonNode min, String path, Violations v) {
        JsonNode statics = d.node().path("StaticHyperParameters");
        for (String key : TuningJobRequestRules.EPOCH_KEYS) {
            JsonNode value = statics.get(key);
            if (value == null) continue;
            String valuePath = d.path() + ".staticHyperParameters";
            long epochs;
            try {
                epochs = Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                v.add(valuePath, value, "Hyperband infers MaxResource from '" + key + "', which must be a positive integer");
                return;
            }
            if (epochs < 1 || epochs > TuningJobRequestRules.MAX_HYPERBAND_RESOURCE) {
                v.add(valuePath, value, "Hyperband infers MaxResource from '" + key + "', which must be between 1 and "
                        + TuningJobRequestRules.MAX_HYPERBAND_RESOURCE);
            } else if (min != null && min.asLong() > epochs) {
                v.add(path + ".minResource", min, "MinResource must be less than or equal to MaxResource, inferred as "
                        + epochs + " from '" + key + "' at '" + valuePath + "'");
            }
            return;
        }
        v.add(path + ".maxResource", null, "Member must not be null when the StaticHyperParameters of '" + d.path()
                + "' have none of " + TuningJobRequestRules.EPOCH_KEYS + " to infer it from");
    }
}
