package dev.vernier.core.strategy.hyperband;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.strategy.Goal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperbandTest {
    private final HyperbandSchedule schedule = HyperbandSchedule.of(1, 27);

    @Test
    void bracketsHaveRungsAtPowersOfEtaAndAllEndAtMaxResource() {
        assertThat(schedule.brackets()).isEqualTo(4);
        assertThat(schedule.rungs(0)).containsExactly(1, 3, 9, 27);
        assertThat(schedule.rungs(2)).containsExactly(9, 27);
        assertThat(schedule.rungs(3)).containsExactly(27);
        assertThat(HyperbandSchedule.of(2, 10).rungs(0)).containsExactly(2, 6, 10);
    }

    @Test
    void everyRunOfConsecutiveJobsIsSpreadOverBracketsInHyperbandsProportions() {
        // weights 27, 12, 6, 4 of 49: exactly those counts in any 49 consecutive jobs, and close in any 20
        Map<Integer, Integer> counts = new HashMap<>();
        for (int ordinal = 1; ordinal <= 49; ordinal++) counts.merge(schedule.bracketOf(ordinal), 1, Integer::sum);
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(0, 27, 1, 12, 2, 6, 3, 4));
        Map<Integer, Integer> first20 = new HashMap<>();
        for (int ordinal = 1; ordinal <= 20; ordinal++) first20.merge(schedule.bracketOf(ordinal), 1, Integer::sum);
        assertThat(first20.get(0)).isBetween(10, 12);
        assertThat(first20.get(3)).isBetween(1, 2);
        assertThat(schedule.bracketOf(17)).isEqualTo(schedule.bracketOf(17));
    }

    @Test
    void aJobIsPromotedAtARungOnlyAmongTheBestThirdOfTheJobsThatReachedIt() {
        SuccessiveHalvingRule rule = new SuccessiveHalvingRule(schedule, 0);
        List<List<Double>> peers = List.of(List.of(5.0, 4.0, 3.0), List.of(6.0), List.of(7.0), List.of(8.0), List.of(9.0));
        // 6 jobs at rung 1: the best 2 are promoted
        assertThat(rule.judge(Goal.MINIMIZE, List.of(5.5), peers).stop()).isFalse();
        assertThat(rule.judge(Goal.MINIMIZE, List.of(6.5), peers).stop()).isTrue();
        // step 2 is no rung
        assertThat(rule.judge(Goal.MINIMIZE, List.of(6.5, 100.0), peers).stop()).isFalse();
        // at rung 3 only the first peer competes: fewer than eta jobs, so only the best continues
        assertThat(rule.judge(Goal.MINIMIZE, List.of(9.0, 9.0, 2.0), peers).stop()).isFalse();
        assertThat(rule.judge(Goal.MINIMIZE, List.of(9.0, 9.0, 3.5), peers).stop()).isTrue();
        assertThat(rule.judge(Goal.MAXIMIZE, List.of(9.0, 9.0, 3.5), peers).stop()).isFalse();
    }

    @Test
    void aJobThatReachesMaxResourceIsStopped() {
        SuccessiveHalvingRule rule = new SuccessiveHalvingRule(HyperbandSchedule.of(1, 3), 1);
        assertThat(rule.judge(Goal.MINIMIZE, List.of(1.0, 1.0, 1.0), List.of()).stop()).isTrue();
        assertThat(rule.judge(Goal.MINIMIZE, List.of(1.0, 1.0), List.of()).stop()).isFalse();
    }
}
