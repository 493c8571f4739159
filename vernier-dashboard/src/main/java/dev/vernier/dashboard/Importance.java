package dev.vernier.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyperparameter importance as the share of the objective's variance that each hyperparameter
 * explains on its own (the correlation ratio, eta squared): numeric values are cut into up to
 * {@link #BINS} bins of equal count, categorical values are their own groups; importance is the
 * variance of the group means (weighted by group size) over the total variance. This is the
 * first-order term of a functional ANOVA, computed on the observations themselves instead of on a
 * fitted model, so it sees main effects only and no interactions. Shares are normalised to sum to 1.
 */
final class Importance {
    static final int BINS = 10;
    static final String METHOD = "Share of the objective's variance explained by each hyperparameter alone "
            + "(eta squared: finished jobs grouped by " + BINS + " equal-count bins of a numeric value, or by category; "
            + "variance of the group means over the total variance), normalised to sum to 100%. A functional-ANOVA "
            + "first-order effect on the observations, without a fitted model: interactions are not shown.";

    private Importance() {}

    /**
     * @param values per hyperparameter, the value of each observation (Double for numeric, String for categorical, null if absent)
     * @param objective the objective of each observation
     */
    static Map<String, Double> compute(Map<String, List<Object>> values, List<Double> objective) {
        int n = objective.size();
        Map<String, Double> raw = new LinkedHashMap<>();
        if (n < 3) return raw;
        double mean = objective.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double total = 0;
        for (double y : objective) total += (y - mean) * (y - mean);
        if (total <= 0) return raw;
        for (var entry : values.entrySet()) {
            int[] group = groups(entry.getValue());
            Map<Integer, double[]> sums = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (group[i] < 0) continue;
                double[] s = sums.computeIfAbsent(group[i], g -> new double[2]);
                s[0] += objective.get(i);
                s[1]++;
            }
            double between = 0;
            for (double[] s : sums.values()) {
                double m = s[0] / s[1];
                between += s[1] * (m - mean) * (m - mean);
            }
            raw.put(entry.getKey(), between / total);
        }
        double sum = raw.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        raw.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), sum > 0 ? e.getValue() / sum : 0));
        return out;
    }

    /** The group of each observation: its equal-count bin, or its category; -1 when absent. */
    private static int[] groups(List<Object> column) {
        int n = column.size();
        int[] group = new int[n];
        boolean numeric = column.stream().allMatch(v -> v == null || v instanceof Double);
        if (!numeric) {
            Map<Object, Integer> ids = new HashMap<>();
            for (int i = 0; i < n; i++)
                group[i] = column.get(i) == null ? -1 : ids.computeIfAbsent(column.get(i), k -> ids.size());
            return group;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (column.get(i) == null) group[i] = -1;
            else order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> (Double) column.get(i)));
        int present = order.size();
        int bins = Math.max(1, Math.min(BINS, present / 2));
        for (int rank = 0; rank < present; rank++) {
            int i = order.get(rank);
            int bin = (int) ((long) rank * bins / present);
            // equal values share a bin, so ties do not split a group
            if (rank > 0 && column.get(order.get(rank - 1)).equals(column.get(i))) bin = group[order.get(rank - 1)];
            group[i] = bin;
        }
        return group;
    }
}
