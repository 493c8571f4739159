package dev.vernier.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Lease;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.Tag;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.StatusTransition;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens databases written by every earlier schema version and reads them through the {@link Store} API
 * only. The fixtures in {@code src/test/resources/upgrade} were written by the real old servers (see
 * the README there: which commit wrote each, and how); the expected values below are what those
 * servers answered to Describe and List when the fixtures were made ({@code expectations.py} prints
 * them), and for the decisions, which no API shows, what they stored.
 */
class SchemaUpgradeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:sagemaker:us-east-1:000000000000:";
    private static final Set<TuningJobStatus> ALL = EnumSet.allOf(TuningJobStatus.class);
    private static final Set<TuningJobStatus> TERMINAL = EnumSet.of(TuningJobStatus.COMPLETED, TuningJobStatus.FAILED,
            TuningJobStatus.STOPPED);

    @TempDir
    Path dir;

    // ---- What the old servers answered

    /** A tuning job as DescribeHyperParameterTuningJob and ListTags showed it. */
    record Tuning(String name, String status, String strategy, long created, long modified, Long ended,
                  String failureFirstLine, String bestJob, Float bestObjective, List<Tag> tags) {}

    /** A training job as DescribeTrainingJob showed it (metric values are floats in SageMaker's API). */
    record Training(String name, String status, String secondary, Map<String, String> hyperParameters, Float loss,
                    Float epoch, List<String> transitions, long created, Long started, Long ended,
                    String failureFirstLine) {
        String tuningJob() {
            return name.replaceFirst("-\\d{3}-[0-9a-f]{8}$", "");
        }

        int ordinal() {
            return Integer.parseInt(name.substring(tuningJob().length() + 1, tuningJob().length() + 4));
        }
    }

    /** A row of V3's stop_decision or rung_promotion, with the kind V4 gives it. */
    record Decision(String job, String kind, int step, String detail, long decidedAt) {
        JobDecision asStored() {
            return new JobDecision(job, job.replaceFirst("-\\d{3}-[0-9a-f]{8}$", ""), JobDecision.Kind.valueOf(kind), step,
                    detail, Instant.ofEpochMilli(decidedAt));
        }
    }

    record Fixture(String version, List<Tuning> tuning, List<Training> training, List<Decision> decisions,
                   Map<String, String> strategyStates, Map<String, String> finishingReasons) {
        @Override
        public String toString() {
            return version + ".db";
        }

        List<Training> trainingOf(String tuningJob) {
            return training.stream().filter(t -> t.tuningJob().equals(tuningJob)).toList();
        }
    }

    static Tuning tuning(String name, String status, String strategy, long created, long modified, Long ended,
                         String failure, String bestJob, Float bestObjective, String... tags) {
        List<Tag> list = new ArrayList<>();
        for (int i = 0; i < tags.length; i += 2) list.add(new Tag(tags[i], tags[i + 1]));
        return new Tuning(name, status, strategy, created, modified, ended, failure, bestJob, bestObjective, list);
    }

    static Training training(String name, String status, String secondary, String hyperParameters, Float loss, Float epoch,
                             String transitions, long created, Long started, Long ended, String failure) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : hyperParameters.split(" ")) map.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        return new Training(name, status, secondary, map, loss, epoch, List.of(transitions.split(" ")), created, started,
                ended, failure);
    }

    static Decision decision(String job, String kind, int step, String detail, long decidedAt) {
        return new Decision(job, kind, step, detail, decidedAt);
    }

    /**
     * Written by 0b14358 (schema V1): tuning jobs and tags. No training job ran at V1, so every job was
     * stopped by hand (one more was deleted); tags were added on Create, by AddTags (one overwritten) and DeleteTags.
     */
    static final Fixture V1 = new Fixture("v1", List.of(
            tuning("v1-random", "Stopped", "Random", 1796400473568L, 1796400475111L, 1796400475111L, null, null, null, "team", "vision", "owner", "alice"),
            tuning("v1-grid", "Stopped", "Grid", 1796400474337L, 1796400475435L, 1796400475435L, null, null, null),
            tuning("V1-Bayesian-Mixed-Case", "Stopped", "Bayesian", 1796400474387L, 1796400475436L, 1796400475436L, null, null, null, "stage", "dev"),
            tuning("v1-tags-changed", "Stopped", "Random", 1796400474467L, 1796400475436L, 1796400475436L, null, null, null, "a", "one", "c", "3", "d", "4")),
            List.of(),
            List.of(),
            Map.of(), Map.of());

    /**
     * Written by 848d4d9 (schema V2): Random, Grid and Bayesian jobs that completed, one that failed (its
     * program exits 3) and one stopped by hand, with their training jobs and metric points.
     */
    static final Fixture V2 = new Fixture("v2", List.of(
            tuning("v2-random", "Completed", "Random", 1796400497731L, 1796400499286L, 1796400499286L, null, "v2-random-003-e02b69b4", 0.78013945f, "team", "vision", "owner", "bob"),
            tuning("v2-grid", "Completed", "Grid", 1796400499703L, 1796400500447L, 1796400500447L, null, "v2-grid-002-aa70bf53", 0.5f),
            tuning("v2-bayesian", "Completed", "Bayesian", 1796400499733L, 1796400501714L, 1796400501714L, null, "v2-bayesian-004-8278d18c", 1.156361f),
            tuning("v2-failed", "Failed", "Random", 1796400499794L, 1796400501732L, 1796400501732L, "The first 3 training jobs failed; the last one (v2-failed-003-12947c8e) failed with: AlgorithmError: the training program exited with code 3. Last log lines:", null, null),
            tuning("v2-stopped", "Stopped", "Random", 1796400502210L, 1796400503931L, 1796400503931L, null, "v2-stopped-001-bafbaf14", 2.2215188f, "why", "stopped by hand")),
            List.of(
                training("v2-random-001-92dc7158", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", 2.054852f, 3.0f, "Starting Training Completed", 1796400497911L, 1796400498226L, 1796400498634L, null),
                training("v2-random-002-1d05e0b5", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.09544484342277178", 2.3985672f, 3.0f, "Starting Training Completed", 1796400497911L, 1796400498524L, 1796400498778L, null),
                training("v2-random-003-e02b69b4", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.028862210862604716", 0.78013945f, 3.0f, "Starting Training Completed", 1796400498876L, 1796400498926L, 1796400499152L, null),
                training("v2-random-004-80f03cd9", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.015393087775759836", 1.5309718f, 3.0f, "Starting Training Completed", 1796400498876L, 1796400498953L, 1796400499182L, null),
                training("v2-grid-001-25da1d79", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.02", 1.4f, 2.0f, "Starting Training Completed", 1796400499734L, 1796400499782L, 1796400500078L, null),
                training("v2-grid-002-aa70bf53", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.05", 0.5f, 2.0f, "Starting Training Completed", 1796400499734L, 1796400499848L, 1796400500046L, null),
                training("v2-grid-003-002de078", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.08", 1.4f, 2.0f, "Starting Training Completed", 1796400499734L, 1796400499887L, 1796400500170L, null),
                training("v2-bayesian-001-21bc225d", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.010000000000000004", 2.1f, 2.0f, "Starting Training Completed", 1796400499947L, 1796400500091L, 1796400500338L, null),
                training("v2-bayesian-002-72d50f40", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.007709777748158289", 2.2884629f, 2.0f, "Starting Training Completed", 1796400500459L, 1796400500505L, 1796400500706L, null),
                training("v2-bayesian-003-0939812d", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.002438045793786422", 2.7621396f, 2.0f, "Starting Training Completed", 1796400500900L, 1796400500913L, 1796400501098L, null),
                training("v2-bayesian-004-8278d18c", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.02438045793786422", 1.156361f, 2.0f, "Starting Training Completed", 1796400501263L, 1796400501352L, 1796400501562L, null),
                training("v2-failed-001-a97dae9a", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", null, null, "Starting Training Failed", 1796400500515L, 1796400500583L, 1796400500658L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v2-failed-002-c260ae86", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.004781914511759945", null, null, "Starting Training Failed", 1796400500934L, 1796400501065L, 1796400501170L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v2-failed-003-12947c8e", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.028862210862604716", null, null, "Starting Training Failed", 1796400501373L, 1796400501486L, 1796400501554L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v2-stopped-001-bafbaf14", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", 2.2215188f, 2.0f, "Starting Training Stopping Stopped", 1796400502214L, 1796400502274L, 1796400503818L, null),
                training("v2-stopped-002-212f763f", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.09544484342277178", 2.5652337f, 2.0f, "Starting Training Stopping Stopped", 1796400502214L, 1796400502410L, 1796400503810L, null)),
            List.of(),
            Map.of("v2-grid", "3"), Map.of());

    /**
     * Written by 3f4212e (schema V3): as V2, plus a Hyperband job (stop decisions and rung promotions), an
     * early-stopping job, a job ended by TargetObjectiveMetricValue, Grid's strategy state, and one job left
     * InProgress with a training job still running when the server stopped.
     */
    static final Fixture V3 = new Fixture("v3", List.of(
            tuning("v3-random", "Completed", "Random", 1796400525447L, 1796400527761L, 1796400527761L, null, "v3-random-003-e8ccf918", 0.78013945f, "team", "vision", "owner", "carol"),
            tuning("v3-grid", "Completed", "Grid", 1796400526249L, 1796400528274L, 1796400528274L, null, "v3-grid-002-a0e3c912", 0.5f),
            tuning("v3-hyperband", "Completed", "Hyperband", 1796400528777L, 1796400533395L, 1796400533395L, null, "v3-hyperband-001-6f3077b4", 0.588124f, "strategy", "hyperband"),
            tuning("v3-early", "Completed", "Random", 1796400533695L, 1796400542463L, 1796400542463L, null, "v3-early-007-5e11df7a", 0.41722044f),
            tuning("v3-target", "Completed", "Random", 1796400542746L, 1796400542941L, 1796400542941L, null, "v3-target-001-da135510", 1.0991921f),
            tuning("v3-failed", "Failed", "Random", 1796400542758L, 1796400543085L, 1796400543085L, "The first 3 training jobs failed; the last one (v3-failed-003-46cc4e43) failed with: AlgorithmError: the training program exited with code 3. Last log lines:", null, null),
            tuning("v3-stopped", "Stopped", "Random", 1796400543314L, 1796400544355L, 1796400544355L, null, "v3-stopped-001-1e328399", 2.7215188f),
            tuning("v3-inprogress", "InProgress", "Random", 1796400544884L, 1796400544884L, null, null, null, null, "left", "running")),
            List.of(
                training("v3-random-001-279ebe36", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", 2.054852f, 3.0f, "Starting Training Completed", 1796400525987L, 1796400526348L, 1796400526722L, null),
                training("v3-random-002-f88f794d", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.004781914511759945", 2.3780086f, 3.0f, "Starting Training Completed", 1796400525987L, 1796400526363L, 1796400526670L, null),
                training("v3-random-003-e8ccf918", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.028862210862604716", 0.78013945f, 3.0f, "Starting Training Completed", 1796400527349L, 1796400527440L, 1796400527742L, null),
                training("v3-random-004-1a547d36", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.002609411271773255", 2.5792012f, 3.0f, "Starting Training Completed", 1796400527349L, 1796400527451L, 1796400527686L, null),
                training("v3-grid-001-a4d20075", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.02", 1.4f, 2.0f, "Starting Training Completed", 1796400527402L, 1796400527544L, 1796400527830L, null),
                training("v3-grid-002-a0e3c912", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.05", 0.5f, 2.0f, "Starting Training Completed", 1796400527884L, 1796400527890L, 1796400527986L, null),
                training("v3-grid-003-c42f3a5c", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.08", 1.4f, 2.0f, "Starting Training Completed", 1796400528009L, 1796400528022L, 1796400528246L, null),
                training("v3-hyperband-001-6f3077b4", "Completed", "Completed", "_tuning_objective_metric=loss epochs=9 lr=0.03570687260956947", 0.588124f, 9.0f, "Starting Training Completed", 1796400528929L, 1796400528986L, 1796400530638L, null),
                training("v3-hyperband-002-e43369c0", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.004643112085777618", 1.1985273f, 9.0f, "Starting Training Stopping Stopped", 1796400528929L, 1796400529006L, 1796400530662L, null),
                training("v3-hyperband-003-463848df", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.0037914775848666535", 2.3535533f, 3.0f, "Starting Training Stopping Stopped", 1796400528929L, 1796400529056L, 1796400529678L, null),
                training("v3-hyperband-004-b7d6c597", "Completed", "Completed", "_tuning_objective_metric=loss epochs=9 lr=0.08368320432594206", 13.437442f, 9.0f, "Starting Training Completed", 1796400529717L, 1796400529730L, 1796400531346L, null),
                training("v3-hyperband-005-48b493f6", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.0013117539823140744", 2.4896822f, 3.0f, "Starting Training Stopping Stopped", 1796400530720L, 1796400530764L, 1796400531390L, null),
                training("v3-hyperband-006-6312ae9a", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.0717081184622258", 12.989567f, 4.0f, "Starting Training Stopping Stopped", 1796400530720L, 1796400530794L, 1796400531570L, null),
                training("v3-hyperband-007-f92e1cf8", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.011366115281239146", 2.8472216f, 2.0f, "Starting Training Stopping Stopped", 1796400531449L, 1796400531466L, 1796400531926L, null),
                training("v3-hyperband-008-b5a84fd7", "Completed", "Completed", "_tuning_objective_metric=loss epochs=9 lr=0.01765513096620802", 0.70795137f, 9.0f, "Starting Training Completed", 1796400531449L, 1796400531466L, 1796400533142L, null),
                training("v3-hyperband-009-131e500c", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.00504638894830473", 3.1226828f, 2.0f, "Starting Training Stopping Stopped", 1796400531704L, 1796400531735L, 1796400532218L, null),
                training("v3-hyperband-010-93a2182e", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.0027059657026710093", 1.9949644f, 4.0f, "Starting Training Stopping Stopped", 1796400532023L, 1796400532032L, 1796400532754L, null),
                training("v3-hyperband-011-686db003", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.06918446549263897", 16.535423f, 1.0f, "Starting Training Stopping Stopped", 1796400532311L, 1796400532352L, 1796400532718L, null),
                training("v3-hyperband-012-162ef22f", "Stopped", "Stopped", "_tuning_objective_metric=loss epochs=9 lr=0.003259041576018693", 1.9650788f, 4.0f, "Starting Training Stopping Stopped", 1796400532751L, 1796400532761L, 1796400533374L, null),
                training("v3-early-001-8c2d1539", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.02571669334716273", 0.43501338f, 12.0f, "Starting Training Completed", 1796400533704L, 1796400533770L, 1796400536106L, null),
                training("v3-early-002-b29750f9", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.036832902596897574", 0.4633552f, 12.0f, "Starting Training Completed", 1796400533704L, 1796400533764L, 1796400536270L, null),
                training("v3-early-003-abf9a51d", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.09179754682177516", 14.235603f, 12.0f, "Starting Training Completed", 1796400533704L, 1796400533859L, 1796400536270L, null),
                training("v3-early-004-34f0b0be", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.06298500128043798", 12.08801f, 5.0f, "Starting Training Stopping Stopped", 1796400536134L, 1796400536138L, 1796400537282L, null),
                training("v3-early-005-57a033a6", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.07588783212189601", 13.105693f, 5.0f, "Starting Training Stopping Stopped", 1796400536319L, 1796400536353L, 1796400537438L, null),
                training("v3-early-006-23ced57a", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.0953777505648009", 15.52425f, 4.0f, "Starting Training Stopping Stopped", 1796400536319L, 1796400536374L, 1796400537449L, null),
                training("v3-early-007-5e11df7a", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.03074415949062412", 0.41722044f, 12.0f, "Starting Training Completed", 1796400537364L, 1796400537386L, 1796400539920L, null),
                training("v3-early-008-128d52fa", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.00229210878659742", 1.1843939f, 12.0f, "Starting Training Completed", 1796400537453L, 1796400537461L, 1796400539810L, null),
                training("v3-early-009-21e1d04a", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.0027983889820642144", 1.1565943f, 12.0f, "Starting Training Completed", 1796400537558L, 1796400537564L, 1796400539962L, null),
                training("v3-early-010-e535efbc", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.0018930075316828453", 1.2066697f, 12.0f, "Starting Training Completed", 1796400539867L, 1796400539882L, 1796400542234L, null),
                training("v3-early-011-7a2fd87c", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.0430870326289987", 0.5879371f, 12.0f, "Starting Training Completed", 1796400539935L, 1796400539940L, 1796400542450L, null),
                training("v3-early-012-94caefd1", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.046365884114466106", 0.6845088f, 12.0f, "Starting Training Completed", 1796400539984L, 1796400539989L, 1796400542262L, null),
                training("v3-target-001-da135510", "Completed", "Completed", "_tuning_objective_metric=loss batch_size=32 lr=0.040040476453718464", 1.0991921f, 1.0f, "Starting Training Completed", 1796400542750L, 1796400542763L, 1796400542818L, null),
                training("v3-failed-001-c01f022d", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", null, null, "Starting Training Failed", 1796400542783L, 1796400542787L, 1796400542902L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v3-failed-002-cb860000", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.004781914511759945", null, null, "Starting Training Failed", 1796400542954L, 1796400542956L, 1796400542974L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v3-failed-003-46cc4e43", "Failed", "Failed", "_tuning_objective_metric=loss batch_size=32 lr=0.028862210862604716", null, null, "Starting Training Failed", 1796400542984L, 1796400542986L, 1796400543074L, "AlgorithmError: the training program exited with code 3. Last log lines:"),
                training("v3-stopped-001-1e328399", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", 2.7215188f, 1.0f, "Starting Training Stopping Stopped", 1796400543320L, 1796400543330L, 1796400544286L, null),
                training("v3-stopped-002-a81f1eed", "Stopped", "Stopped", "_tuning_objective_metric=loss batch_size=32 lr=0.004781914511759945", 3.0446754f, 1.0f, "Starting Training Stopping Stopped", 1796400543320L, 1796400543329L, 1796400544322L, null),
                training("v3-inprogress-001-8c7a81b1", "InProgress", "Training", "_tuning_objective_metric=loss batch_size=32 lr=0.008508811110064246", 2.5f, 2.0f, "Starting Training", 1796400544890L, 1796400544904L, null, null)),
            List.of(
                decision("v3-hyperband-001-6f3077b4", "PROMOTION", 1, "", 1796400529295L),
                decision("v3-hyperband-003-463848df", "HYPERBAND_STOP", 1, "objective 5.68688665 at rung 1 of bracket 0 is not among the best 1 of 2 (threshold 5.03256839)", 1796400529476L),
                decision("v3-hyperband-001-6f3077b4", "PROMOTION", 3, "", 1796400529670L),
                decision("v3-hyperband-002-e43369c0", "PROMOTION", 3, "", 1796400529712L),
                decision("v3-hyperband-002-e43369c0", "HYPERBAND_STOP", 9, "reached MaxResource 9", 1796400530634L),
                decision("v3-hyperband-005-48b493f6", "HYPERBAND_STOP", 1, "objective 5.82301546 at rung 1 of bracket 0 is not among the best 1 of 3 (threshold 5.03256839)", 1796400531258L),
                decision("v3-hyperband-006-6312ae9a", "HYPERBAND_STOP", 3, "objective 13.40623381 at rung 3 of bracket 1 is not among the best 1 of 2 (threshold 2.30963843)", 1796400531448L),
                decision("v3-hyperband-007-f92e1cf8", "HYPERBAND_STOP", 1, "objective 5.34722166 at rung 1 of bracket 0 is not among the best 1 of 4 (threshold 5.03256839)", 1796400531788L),
                decision("v3-hyperband-009-131e500c", "HYPERBAND_STOP", 1, "objective 5.6226827 at rung 1 of bracket 0 is not among the best 1 of 5 (threshold 5.03256839)", 1796400532022L),
                decision("v3-hyperband-011-686db003", "HYPERBAND_STOP", 1, "objective 16.53542234 at rung 1 of bracket 0 is not among the best 2 of 6 (threshold 5.34722166)", 1796400532578L),
                decision("v3-hyperband-010-93a2182e", "HYPERBAND_STOP", 3, "objective 2.41163097 at rung 3 of bracket 1 is not among the best 1 of 3 (threshold 2.30963843)", 1796400532723L),
                decision("v3-hyperband-012-162ef22f", "HYPERBAND_STOP", 3, "objective 2.38174552 at rung 3 of bracket 1 is not among the best 1 of 4 (threshold 2.30963843)", 1796400533274L),
                decision("v3-early-004-34f0b0be", "EARLY_STOPPING", 4, "objective 12.33801031 at step 4 is worse than the median 2.650855225 of the running averages of 3 finished jobs", 1796400537123L),
                decision("v3-early-005-57a033a6", "EARLY_STOPPING", 4, "objective 13.35569314 at step 4 is worse than the median 2.650855225 of the running averages of 3 finished jobs", 1796400537363L),
                decision("v3-early-006-23ced57a", "EARLY_STOPPING", 4, "objective 15.52425027 at step 4 is worse than the median 2.650855225 of the running averages of 3 finished jobs", 1796400537364L)),
            Map.of("v3-grid", "3"), Map.of("v3-target", "the best objective 1.09919211 reached TargetObjectiveMetricValue 1.5"));

    static Stream<Fixture> fixtures() {
        return Stream.of(V1, V2, V3);
    }

    // ---- Tuning jobs and tags

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTuningJobReadsAsTheOldServerDescribedIt(Fixture f) throws IOException {
        try (SqliteStore store = open(f)) {
            for (Tuning e : f.tuning()) {
                TuningJob j = store.tuningJob(e.name()).orElseThrow();
                assertThat(store.tuningJob(e.name().toUpperCase(Locale.ROOT))).contains(j);
                assertThat(j.name()).isEqualTo(e.name());
                assertThat(j.arn()).isEqualTo(ARN + "hyper-parameter-tuning-job/" + e.name().toLowerCase(Locale.ROOT));
                assertThat(j.status().apiName()).as(e.name()).isEqualTo(e.status());
                assertThat(j.strategy()).isEqualTo(e.strategy());
                assertThat(j.creationTime()).isEqualTo(Instant.ofEpochMilli(e.created()));
                assertThat(j.lastModifiedTime()).isEqualTo(Instant.ofEpochMilli(e.modified()));
                assertThat(j.endTime()).isEqualTo(e.ended() == null ? null : Instant.ofEpochMilli(e.ended()));
                if (e.failureFirstLine() == null) assertThat(j.failureReason()).isNull();
                else assertThat(j.failureReason()).startsWith(e.failureFirstLine()).contains("Traceback: division by zero");
                JsonNode spec = JSON.readTree(j.spec());
                assertThat(spec.path("HyperParameterTuningJobName").asText()).isEqualTo(e.name());
                assertThat(spec.path("HyperParameterTuningJobConfig").path("Strategy").asText()).isEqualTo(e.strategy());
                assertThat(spec.path("TrainingJobDefinition").path("AlgorithmSpecification").path("TrainingImage").asText())
                        .startsWith("file:///tmp/vernier-upgrade/programs/");
                assertThat(spec.has("Tags")).isFalse();
                assertThat(j.strategyState()).isEqualTo(f.strategyStates().get(e.name()));
                assertThat(j.finishingReason()).isEqualTo(f.finishingReasons().get(e.name()));
                assertThat(j.version()).isZero();
                assertThat(store.tags(j.arn())).as("tags of " + e.name()).containsExactlyElementsOf(e.tags());
            }
            assertThat(store.tuningJobsIn(ALL)).extracting(TuningJob::name)
                    .containsExactlyElementsOf(f.tuning().stream().map(Tuning::name).toList());   // oldest first
            assertThat(store.tuningJob(f.version() + "-deleted")).isEmpty();
            assertThat(store.tags(ARN + "hyper-parameter-tuning-job/v1-deleted")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void tuningJobsAreListedAndPaged(Fixture f) throws IOException {
        try (SqliteStore store = open(f)) {
            List<String> byName = f.tuning().stream().map(Tuning::name)
                    .sorted(Comparator.comparing((String n) -> n.toLowerCase(Locale.ROOT))).toList();
            assertThat(allTuning(store, TuningJobQuery.SortBy.NAME, false, 2, null, null)).containsExactlyElementsOf(byName);
            assertThat(allTuning(store, TuningJobQuery.SortBy.NAME, true, 3, null, null)).containsExactlyElementsOf(byName.reversed());
            List<String> byCreation = f.tuning().stream().map(Tuning::name).toList();
            assertThat(allTuning(store, TuningJobQuery.SortBy.CREATION_TIME, true, 1, null, null))
                    .containsExactlyElementsOf(byCreation.reversed());
            for (TuningJobStatus status : ALL)
                assertThat(allTuning(store, TuningJobQuery.SortBy.STATUS, false, 2, status, null))
                        .containsExactlyInAnyOrderElementsOf(f.tuning().stream()
                                .filter(t -> t.status().equals(status.apiName())).map(Tuning::name).toList());
            // NameContains ignores case, and its wildcards are literal
            String upper = f.tuning().getFirst().name().substring(3).toUpperCase(Locale.ROOT);
            assertThat(allTuning(store, TuningJobQuery.SortBy.NAME, false, 10, null, upper)).contains(f.tuning().getFirst().name());
            assertThat(allTuning(store, TuningJobQuery.SortBy.NAME, false, 10, null, "_")).isEmpty();
        }
    }

    // ---- Training jobs and metrics

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTrainingJobReadsAsTheOldServerDescribedIt(Fixture f) throws IOException {
        try (SqliteStore store = open(f)) {
            for (Training e : f.training()) {
                TrainingJob j = store.trainingJob(e.name()).orElseThrow();
                assertThat(store.trainingJob(e.name().toUpperCase(Locale.ROOT))).contains(j);
                assertThat(j.arn()).isEqualTo(ARN + "training-job/" + e.name());
                assertThat(j.tuningJobName()).isEqualTo(e.tuningJob());
                assertThat(j.ordinal()).isEqualTo(e.ordinal());
                assertThat(j.definitionName()).isNull();
                assertThat(j.status().apiName()).as(e.name()).isEqualTo(e.status());
                assertThat(j.secondaryStatus()).isEqualTo(e.secondary());
                assertThat(j.hyperParameters()).isEqualTo(e.hyperParameters());
                assertThat(j.tunedHyperParameters()).isEqualTo(Map.of("lr", e.hyperParameters().get("lr")));
                assertThat(j.creationTime()).isEqualTo(Instant.ofEpochMilli(e.created()));
                assertThat(j.trainingStartTime()).isEqualTo(instant(e.started()));
                assertThat(j.trainingEndTime()).isEqualTo(instant(e.ended()));
                assertThat(j.transitions()).extracting(StatusTransition::status).containsExactlyElementsOf(e.transitions());
                assertThat(j.transitions().getFirst().start()).isEqualTo(j.creationTime());
                if (e.ended() != null) assertThat(j.transitions().getLast().end()).isEqualTo(j.trainingEndTime());
                if (e.failureFirstLine() == null) assertThat(j.failureReason()).isNull();
                else assertThat(j.failureReason()).startsWith(e.failureFirstLine()).endsWith("Traceback: division by zero");
                assertThat(j.retryable()).isFalse();
                assertThat(j.retryOf()).isNull();
                assertThat(j.runHandle()).isNotNull();   // every one was launched
                assertThat(JSON.readTree(j.definition()).path("AlgorithmSpecification").path("TrainingImage").asText())
                        .startsWith("file:///tmp/vernier-upgrade/programs/");

                // FinalMetricDataList: floats in the API, doubles in the store
                Map<String, MetricValue> finals = new LinkedHashMap<>();
                for (MetricValue m : j.finalMetrics()) finals.put(m.name(), m);
                assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(
                        e.loss() == null ? List.of() : List.of("loss", "epoch"));
                if (e.loss() != null) {
                    assertThat((float) finals.get("loss").value()).isEqualTo(e.loss());
                    assertThat((float) finals.get("epoch").value()).isEqualTo(e.epoch());
                }
                switch (j.status()) {
                    case COMPLETED, STOPPED -> {
                        assertThat(j.objectiveStatus()).isEqualTo(ObjectiveStatus.SUCCEEDED);
                        assertThat(j.objectiveValue()).isEqualTo(finals.get("loss").value());
                        assertThat(j.modelArtifact()).isEqualTo("s3://upgrade/" + f.version() + "/" + e.name() + "/output/model.tar.gz");
                        assertThat(j.trainingSeconds()).isNotNull();
                    }
                    case FAILED -> {
                        assertThat(j.objectiveStatus()).isEqualTo(ObjectiveStatus.FAILED);
                        assertThat(j.objectiveValue()).isNull();
                        assertThat(j.modelArtifact()).isNull();
                    }
                    default -> {
                        assertThat(j.objectiveStatus()).isEqualTo(ObjectiveStatus.PENDING);
                        assertThat(j.objectiveValue()).isNull();
                    }
                }

                // the series: one loss and one epoch point per epoch printed, the last ones the final metrics
                List<MetricPoint> series = store.metricSeries(e.name());
                if (j.status() == TrainingJobStatus.FAILED) {
                    assertThat(series).isEmpty();   // the failing program prints no metric
                    continue;
                }
                assertThat(series).isNotEmpty();
                List<MetricPoint> losses = series.stream().filter(p -> p.name().equals("loss")).toList();
                List<MetricPoint> epochs = series.stream().filter(p -> p.name().equals("epoch")).toList();
                assertThat(epochs).extracting(MetricPoint::value)
                        .containsExactlyElementsOf(Stream.iterate(1.0, x -> x + 1).limit(e.epoch().longValue()).toList());
                assertThat(losses).hasSameSizeAs(epochs);
                assertThat(losses.getLast().value()).isEqualTo(finals.get("loss").value());
                assertThat(losses.getLast().timestamp()).isEqualTo(finals.get("loss").timestamp());
                assertThat(series).allMatch(p -> !p.timestamp().isBefore(j.creationTime()));
            }
            for (Tuning t : f.tuning()) {
                List<Training> expected = f.trainingOf(t.name());
                assertThat(store.trainingJobsOf(t.name())).extracting(TrainingJob::name)
                        .containsExactlyElementsOf(expected.stream().map(Training::name).toList());
                if (t.bestJob() != null) {
                    // BestTrainingJob: the least objective (ties to the earlier job), as reported
                    TrainingJob best = store.trainingJob(t.bestJob()).orElseThrow();
                    assertThat((float) best.objectiveValue().doubleValue()).isEqualTo(t.bestObjective());
                    assertThat(store.trainingJobsOf(t.name())).filteredOn(j -> j.objectiveValue() != null)
                            .allMatch(j -> j.objectiveValue() > best.objectiveValue()
                                    || j.objectiveValue().equals(best.objectiveValue()) && j.ordinal() >= best.ordinal());
                }
            }
            assertThat(store.unfinishedTrainingJobs()).extracting(TrainingJob::name).containsExactlyElementsOf(f.training()
                    .stream().filter(t -> t.status().equals("InProgress")).map(Training::name).toList());
            assertThat(store.metricSeries("no-such-job")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void trainingJobsAreListedAndPagedAndSortedByObjective(Fixture f) throws IOException {
        try (SqliteStore store = open(f)) {
            List<String> byName = f.training().stream().map(Training::name).sorted().toList();
            assertThat(allTraining(store, query(null, TrainingJobQuery.SortBy.NAME, false, 4, null, null)))
                    .extracting(TrainingJob::name).containsExactlyElementsOf(byName);
            assertThat(allTraining(store, query(null, TrainingJobQuery.SortBy.CREATION_TIME, true, 5, null, null)))
                    .extracting(j -> j.creationTime().toEpochMilli()).isSortedAccordingTo(Comparator.reverseOrder())
                    .hasSize(f.training().size());
            for (TrainingJobStatus status : TrainingJobStatus.values())
                assertThat(allTraining(store, query(null, TrainingJobQuery.SortBy.STATUS, false, 3, status, null)))
                        .extracting(TrainingJob::name).containsExactlyInAnyOrderElementsOf(f.training().stream()
                                .filter(t -> t.status().equals(status.apiName())).map(Training::name).toList());
            for (Tuning t : f.tuning()) {
                List<Training> expected = f.trainingOf(t.name());
                for (boolean descending : new boolean[] {false, true}) {
                    List<TrainingJob> sorted = allTraining(store, query(t.name(), TrainingJobQuery.SortBy.OBJECTIVE, descending, 2,
                            null, null));
                    // only the jobs with an objective, as SageMaker documents for this sort
                    List<TrainingJob> all = allTraining(store, query(t.name(), TrainingJobQuery.SortBy.NAME, false, 50,
                            null, null));
                    assertThat(all).extracting(TrainingJob::name)
                            .containsExactlyInAnyOrderElementsOf(expected.stream().map(Training::name).toList());
                    assertThat(sorted).extracting(TrainingJob::name).containsExactlyInAnyOrderElementsOf(
                            all.stream().filter(j -> j.objectiveValue() != null).map(TrainingJob::name).toList());
                    List<Double> objectives = sorted.stream().map(TrainingJob::objectiveValue).toList();
                    assertThat(objectives).allMatch(Objects::nonNull);
                    assertThat(objectives).isSortedAccordingTo(
                            descending ? Comparator.<Double>reverseOrder() : Comparator.<Double>naturalOrder());
                    if (!descending && t.bestJob() != null) assertThat(sorted.getFirst().name()).isEqualTo(t.bestJob());
                }
            }
        }
    }

    // ---- Decisions (V3's stop_decision and rung_promotion, V4's job_decision)

    @ParameterizedTest
    @MethodSource("fixtures")
    void theStopDecisionsAndRungPromotionsOfV3AreDecisions(Fixture f) throws IOException {
        try (SqliteStore store = open(f)) {
            for (Tuning t : f.tuning()) {
                List<JobDecision> expected = f.decisions().stream().map(Decision::asStored)
                        .filter(d -> d.tuningJobName().equals(t.name())).toList();
                assertThat(store.decisions(t.name())).as("decisions of " + t.name()).containsExactlyInAnyOrderElementsOf(expected);
            }
            if (!f.version().equals("v3")) return;
            assertThat(store.decisions("v3-hyperband")).extracting(JobDecision::kind)
                    .containsOnly(JobDecision.Kind.HYPERBAND_STOP, JobDecision.Kind.PROMOTION)
                    .contains(JobDecision.Kind.HYPERBAND_STOP, JobDecision.Kind.PROMOTION);
            assertThat(store.decisions("v3-early")).extracting(JobDecision::kind, JobDecision::step)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(JobDecision.Kind.EARLY_STOPPING, 4)).hasSize(3);
            // a stop decision came with its stop request, and the job ended Stopped; a user's stop is no decision
            for (Decision d : f.decisions()) {
                TrainingJob job = store.trainingJob(d.job()).orElseThrow();
                if (!d.kind().equals("PROMOTION")) assertThat(job.stopRequested()).isTrue();
                if (!d.kind().equals("PROMOTION")) assertThat(job.status()).isEqualTo(TrainingJobStatus.STOPPED);
            }
            assertThat(store.trainingJobsOf("v3-stopped")).allMatch(j -> !j.stopRequested() && j.status() == TrainingJobStatus.STOPPED);
            // every Stopped job of the Hyperband job was stopped by a decision (at a rung, or at MaxResource)
            assertThat(store.trainingJobsOf("v3-hyperband")).filteredOn(j -> j.status() == TrainingJobStatus.STOPPED)
                    .extracting(TrainingJob::name).containsExactlyInAnyOrderElementsOf(f.decisions().stream()
                            .filter(d -> d.kind().equals("HYPERBAND_STOP")).map(Decision::job).toList());
        }
    }

    /**
     * The Store promises the decisions "in the order they were taken". V4 copies every V3 stop decision
     * before every rung promotion, so the order comes from the time each was decided, not the row id.
     */
    @Test
    void migratedDecisionsKeepTheOrderTheyWereTakenIn() throws IOException {
        try (SqliteStore store = open(V3)) {
            assertThat(store.decisions("v3-hyperband")).containsExactlyElementsOf(V3.decisions().stream()
                    .map(Decision::asStored).filter(d -> d.tuningJobName().equals("v3-hyperband")).toList());
        }
    }

    // ---- Writes after the upgrade

    @ParameterizedTest
    @MethodSource("fixtures")
    void theMigratedStoreTakesNewWrites(Fixture f) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqliteStore store = open(f)) {
            // leases: the jobs that need driving are the active ones (v3-inprogress); a fence starts at 1
            List<Lease> leases = store.acquireLeases("upgrade-test", now, Duration.ofSeconds(30), 10);
            List<String> active = f.tuning().stream().filter(t -> t.status().equals("InProgress")).map(Tuning::name).toList();
            assertThat(leases).extracting(Lease::tuningJobName).containsExactlyElementsOf(active);
            assertThat(leases).allMatch(l -> l.fence() == 1 && l.owner().equals("upgrade-test"));
            if (!active.isEmpty()) driveTheActiveJob(store, leases.getFirst(), f, now);

            // compare-and-set on a migrated job: version 0 is written once, then stale
            Tuning first = f.tuning().getFirst();
            TuningJob old = store.tuningJob(first.name()).orElseThrow();
            TuningJob written = store.updateTuningJob(old.withStrategyState("after-upgrade"), null).orElseThrow();
            assertThat(written.version()).isEqualTo(1);
            assertThat(store.tuningJob(first.name())).contains(written);
            assertThat(store.updateTuningJob(old.withStrategyState("stale"), null)).isEmpty();
            assertThat(store.tuningJob(first.name()).orElseThrow().strategyState()).isEqualTo("after-upgrade");

            // tags: positions go on after the migrated ones
            assertThat(store.addTags(old.arn(), List.of(new Tag("added", "after upgrade")), 50)).isTrue();
            store.deleteTags(old.arn(), first.tags().isEmpty() ? List.of() : List.of(first.tags().getFirst().key()));
            List<Tag> tags = new ArrayList<>(first.tags());
            if (!tags.isEmpty()) tags.removeFirst();
            tags.add(new Tag("added", "after upgrade"));
            assertThat(store.tags(old.arn())).containsExactlyElementsOf(tags);

            // a new tuning job; names stay unique regardless of case, against migrated rows too
            String name = "after-upgrade-" + f.version();
            TuningJob created = TuningJob.created(name, ARN + "hyper-parameter-tuning-job/" + name, "Random", now,
                    "{\"HyperParameterTuningJobName\":\"" + name + "\"}");
            assertThat(store.createTuningJob(created, List.of(new Tag("new", "yes")))).isTrue();
            assertThat(store.createTuningJob(TuningJob.created(first.name().toUpperCase(Locale.ROOT), ARN + "x", "Random",
                    now, "{}"), List.of())).isFalse();
            assertThat(store.tuningJob(name)).contains(created);
            assertThat(store.tags(created.arn())).containsExactly(new Tag("new", "yes"));
            assertThat(allTuning(store, TuningJobQuery.SortBy.CREATION_TIME, true, 2, null, null)).first().isEqualTo(name);
            assertThat(store.acquireLeases("upgrade-test", now, Duration.ofSeconds(30), 10)).extracting(Lease::tuningJobName)
                    .contains(name);

            // a migrated terminal job can be deleted, with its tags; its training jobs stay, as in SageMaker
            Tuning last = f.tuning().stream().filter(t -> TERMINAL.contains(TuningJobStatus.fromApiName(t.status())))
                    .toList().getLast();
            TuningJob lastJob = store.tuningJob(last.name()).orElseThrow();
            assertThat(store.deleteTuningJob(last.name(), TERMINAL)).isEqualTo(Store.DeleteResult.DELETED);
            assertThat(store.tuningJob(last.name())).isEmpty();
            assertThat(store.tags(lastJob.arn())).isEmpty();
            assertThat(store.trainingJobsOf(last.name())).hasSize(f.trainingOf(last.name()).size());
        }
    }

    /** The controller's writes on v3-inprogress, fenced by the lease it took: decisions, metrics, a new training job. */
    private static void driveTheActiveJob(SqliteStore store, Lease lease, Fixture f, Instant now) {
        TuningJob tuning = store.tuningJob(lease.tuningJobName()).orElseThrow();
        TrainingJob running = store.trainingJobsOf(tuning.name()).getFirst();
        assertThat(running.isRunning()).isTrue();
        store.recordDecisions(List.of(new JobDecision(running.name(), tuning.name(), JobDecision.Kind.EARLY_STOPPING, 3,
                "after the upgrade", now)), lease);
        assertThat(store.decisions(tuning.name())).extracting(JobDecision::kind, JobDecision::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobDecision.Kind.EARLY_STOPPING, "after the upgrade"));
        running = store.trainingJob(running.name()).orElseThrow();
        assertThat(running.stopRequested()).isTrue();
        // nothing is decided about a migrated job that has finished; the migrated decisions stay as they were
        TrainingJob finished = store.trainingJobsOf("v3-hyperband").getFirst();
        store.recordDecisions(List.of(new JobDecision(finished.name(), "v3-hyperband", JobDecision.Kind.PROMOTION, 9, "", now)),
                null);
        assertThat(f.decisions().stream().map(Decision::asStored).filter(d -> d.tuningJobName().equals("v3-hyperband")))
                .containsExactlyInAnyOrderElementsOf(store.decisions("v3-hyperband"));

        // the running job stops, with one more metric point that continues its series
        int points = store.metricSeries(running.name()).size();
        Instant later = now.plusSeconds(1);
        TrainingJob stopped = running.stopping(running.runHandle(), now).finished(TrainingJobStatus.STOPPED, "Stopped", null,
                false, running.runHandle(), List.of(new MetricValue("loss", 1.5, later)), 1.5, null, later, 2L,
                "Training job stopped");
        assertThat(store.updateTrainingJob(stopped, List.of(new MetricPoint("loss", 1.5, later)), lease)).isTrue();
        assertThat(store.trainingJob(running.name())).contains(stopped);
        assertThat(store.metricSeries(running.name())).hasSize(points + 1).last().isEqualTo(new MetricPoint("loss", 1.5, later));
        assertThat(store.updateTrainingJob(stopped, List.of(), lease)).isFalse();   // finished jobs are final

        // a new training job with the tuning job's next version; the version read before is stale then
        TrainingJob next = TrainingJob.starting(tuning.name() + "-002-0badcafe", ARN + "training-job/" + tuning.name()
                + "-002-0badcafe", tuning.name(), 2, null, Map.of("lr", "0.05"), Map.of("lr", "0.05"), null,
                running.definition(), later);
        TuningJob added = store.addTrainingJobs(tuning.withStrategyState("after-upgrade"), List.of(next), lease).orElseThrow();
        assertThat(added.version()).isEqualTo(1);
        assertThat(store.addTrainingJobs(tuning, List.of(), lease)).isEmpty();
        assertThat(store.updateTuningJob(tuning.moveTo(TuningJobStatus.STOPPING, later, null), lease)).isEmpty();
        assertThat(store.updateTuningJob(added.moveTo(TuningJobStatus.STOPPING, later, null), lease).orElseThrow().version())
                .isEqualTo(2);
        assertThat(store.trainingJobsOf(tuning.name())).extracting(TrainingJob::name).containsExactly(running.name(), next.name());
        assertThat(store.unfinishedTrainingJobs()).extracting(TrainingJob::name).containsExactly(next.name());

        // another server cannot write with this lease's fence once it has taken the job over
        store.releaseLeases(lease.owner());
        Lease taken = store.acquireLeases("other-server", later, Duration.ofSeconds(30), 10).stream()
                .filter(l -> l.tuningJobName().equals(tuning.name())).findFirst().orElseThrow();
        assertThat(taken.fence()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.updateTrainingJob(next, List.of(), lease))
                .isInstanceOf(dev.vernier.core.store.StaleLeaseException.class);
    }

    // ---- Opening again

    @ParameterizedTest
    @MethodSource("fixtures")
    void openingTheMigratedFileAgainFindsItAsItWasLeft(Fixture f) throws IOException {
        Path file = copy(f);
        List<Object> before;
        try (SqliteStore store = SqliteStore.open(file)) {
            before = everything(store);
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(everything(store)).isEqualTo(before);
            TuningJob job = store.tuningJob(f.tuning().getFirst().name()).orElseThrow();
            store.updateTuningJob(job.withStrategyState("written after the upgrade"), null).orElseThrow();
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            TuningJob job = store.tuningJob(f.tuning().getFirst().name()).orElseThrow();
            assertThat(job.strategyState()).isEqualTo("written after the upgrade");
            assertThat(job.version()).isEqualTo(1);
            assertThat(store.tuningJobsIn(ALL)).hasSize(f.tuning().size());
            assertThat(store.listTrainingJobs(query(null, TrainingJobQuery.SortBy.NAME, false, 100, null, null)).items())
                    .hasSize(f.training().size());
        }
    }

    /** Everything the API reads of a store: tuning jobs and tags, training jobs and series, decisions. */
    private static List<Object> everything(Store store) {
        List<Object> out = new ArrayList<>();
        for (TuningJob t : store.tuningJobsIn(ALL)) {
            out.add(t);
            out.add(store.tags(t.arn()));
            out.add(store.decisions(t.name()));
            for (TrainingJob j : store.trainingJobsOf(t.name())) {
                out.add(j);
                out.add(store.metricSeries(j.name()));
            }
        }
        return out;
    }

    // ---- Helpers

    private SqliteStore open(Fixture f) throws IOException {
        return SqliteStore.open(copy(f));
    }

    /** The fixture copied into this test's directory (the store migrates the copy in place). */
    private Path copy(Fixture f) throws IOException {
        Path file = dir.resolve(f.version() + "-" + System.nanoTime() + ".db");
        try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream("/upgrade/" + f.version() + ".db")) {
            Files.copy(Objects.requireNonNull(in, "fixture " + f.version() + ".db"), file);
        }
        return file;
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static List<String> allTuning(Store store, TuningJobQuery.SortBy sort, boolean descending, int pageSize,
                                          TuningJobStatus status, String nameContains) {
        return pages(token -> store.listTuningJobs(new TuningJobQuery(Optional.ofNullable(nameContains), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(status), sort, descending,
                        pageSize, token)), pageSize).stream().map(TuningJob::name).toList();
    }

    private static TrainingJobQuery query(String tuningJob, TrainingJobQuery.SortBy sort, boolean descending, int pageSize,
                                          TrainingJobStatus status, String token) {
        return new TrainingJobQuery(Optional.ofNullable(tuningJob), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.ofNullable(status), sort, descending, pageSize,
                Optional.ofNullable(token));
    }

    private static List<TrainingJob> allTraining(Store store, TrainingJobQuery q) {
        return pages(token -> store.listTrainingJobs(new TrainingJobQuery(q.tuningJobName(), q.nameContains(),
                q.createdAfter(), q.createdBefore(), q.modifiedAfter(), q.modifiedBefore(), q.status(), q.sortBy(),
                q.descending(), q.maxResults(), token)), q.maxResults());
    }

    /** Every page of a listing, checking that no page is larger than asked and only the last has no token. */
    private static <T> List<T> pages(Function<Optional<String>, Page<T>> list, int pageSize) {
        List<T> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        for (int i = 0; i < 1000; i++) {
            Page<T> page = list.apply(token);
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            out.addAll(page.items());
            token = page.nextToken();
            if (token.isEmpty()) return out;
        }
        throw new AssertionError("listing did not end");
    }
}
