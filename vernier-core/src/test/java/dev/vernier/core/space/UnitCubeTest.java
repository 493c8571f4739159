package dev.vernier.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnitCubeTest {
    private static final Subspace SPACE = new Subspace(null, List.of(
            new ContinuousParameter("lin", -2, 3, Scaling.LINEAR),
            new ContinuousParameter("log", 1e-5, 1, Scaling.LOGARITHMIC),
            new ContinuousParameter("rev", 0.9, 0.9999, Scaling.REVERSE_LOGARITHMIC),
            new ContinuousParameter("auto", 1e-3, 10, Scaling.AUTO),
            new IntegerParameter("ilin", -3, 7, Scaling.LINEAR),
            new IntegerParameter("ilog", 1, 1024, Scaling.LOGARITHMIC),
            new IntegerParameter("fixed", 4, 4, Scaling.AUTO),
            new CategoricalParameter("cat", List.of("a", "b", "c"))));

    @Test
    void everyRangeTypeAndScalingSurvivesARoundTrip() {
        UnitCube cube = new UnitCube(SPACE);
        assertThat(cube.dimensions()).isEqualTo(10);
        Map<String, Value> values = Map.of("lin", new Value.Real(0.25), "log", new Value.Real(3e-4),
                "rev", new Value.Real(0.999), "auto", new Value.Real(0.05), "ilin", new Value.Int(-3),
                "ilog", new Value.Int(1000), "fixed", new Value.Int(4), "cat", new Value.Choice("b"));
        Map<String, Value> back = cube.decode(cube.encode(values));
        assertThat(((Value.Real) back.get("lin")).value()).isCloseTo(0.25, within(1e-12));
        assertThat(((Value.Real) back.get("log")).value()).isCloseTo(3e-4, within(1e-15));
        assertThat(((Value.Real) back.get("rev")).value()).isCloseTo(0.999, within(1e-12));
        assertThat(((Value.Real) back.get("auto")).value()).isCloseTo(0.05, within(1e-14));
        assertThat(back.get("ilin")).isEqualTo(new Value.Int(-3));
        assertThat(back.get("ilog")).isEqualTo(new Value.Int(1000));
        assertThat(back.get("fixed")).isEqualTo(new Value.Int(4));
        assertThat(back.get("cat")).isEqualTo(new Value.Choice("b"));
    }

    @Test
    void theMiddleOfTheCubeIsTheMiddleOfTheScaledRange() {
        UnitCube cube = new UnitCube(SPACE);
        double[] half = new double[cube.dimensions()];
        java.util.Arrays.fill(half, 0.5);
        Map<String, Value> mid = cube.decode(half);
        assertThat(((Value.Real) mid.get("lin")).value()).isCloseTo(0.5, within(1e-12));
        assertThat(((Value.Real) mid.get("log")).value()).isCloseTo(Math.sqrt(1e-5), within(1e-12));
        // reverse log: 1 - x is geometric between 0.1 and 1e-4
        assertThat(1 - ((Value.Real) mid.get("rev")).value()).isCloseTo(Math.sqrt(0.1 * 1e-4), within(1e-12));
        // auto over 1e-3..10 spans four decades, so it is logarithmic
        assertThat(((Value.Real) mid.get("auto")).value()).isCloseTo(0.1, within(1e-12));
        assertThat(mid.get("ilin")).isEqualTo(new Value.Int(2));
        assertThat(mid.get("ilog")).isEqualTo(new Value.Int(Math.round(Math.sqrt(0.5 * 1024.5))));
    }

    @Test
    void uniformPointsGiveEveryIntegerAndChoiceAboutEqually() {
        Subspace s = new Subspace(null, List.of(new IntegerParameter("i", 0, 4, Scaling.LINEAR),
                new CategoricalParameter("c", List.of("x", "y", "z"))));
        UnitCube cube = new UnitCube(s);
        SplittableRandom rng = new SplittableRandom(1);
        int[] ints = new int[5];
        int[] cats = new int[3];
        for (int n = 0; n < 30_000; n++) {
            double[] u = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            Map<String, Value> v = cube.decode(u);
            ints[(int) ((Value.Int) v.get("i")).value()]++;
            cats[List.of("x", "y", "z").indexOf(((Value.Choice) v.get("c")).value())]++;
        }
        for (int count : ints) assertThat(count).isBetween(5_600, 6_400);
        for (int count : cats) assertThat(count).isBetween(9_500, 10_500);
    }

    @Test
    void finiteSubspacesAreEnumeratedLastParameterFastest() {
        Subspace s = new Subspace(null, List.of(new IntegerParameter("i", 1, 2, Scaling.LINEAR),
                new CategoricalParameter("c", List.of("x", "y", "z"))));
        UnitCube cube = new UnitCube(s);
        assertThat(cube.size()).isEqualTo(6);
        assertThat(cube.valuesAt(0)).containsEntry("i", new Value.Int(1)).containsEntry("c", new Value.Choice("x"));
        assertThat(cube.valuesAt(4)).containsEntry("i", new Value.Int(2)).containsEntry("c", new Value.Choice("y"));
        assertThat(new UnitCube(SPACE).size()).isEqualTo(-1);
    }

    @Test
    void severalDefinitionsAreChosenByAOneHotBlock() {
        SearchSpace space = new SearchSpace(List.of(
                new Subspace("a", List.of(new ContinuousParameter("x", 0, 1, Scaling.LINEAR))),
                new Subspace("b", List.of(new CategoricalParameter("k", List.of("p", "q"))))));
        SpaceEncoding e = new SpaceEncoding(space);
        assertThat(e.dimensions()).isEqualTo(2 + 1 + 2);
        Configuration c = new Configuration("b", Map.of("k", new Value.Choice("q")));
        assertThat(e.encode(c)).containsExactly(0, 1, 0, 0, 1);
        assertThat(e.decode(e.encode(c))).isEqualTo(c);
        assertThat(e.size()).isEqualTo(-1);
    }
}
