package dev.vernier.training.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job of several hosts, as each host sees it: its name, the others, its shard of the data. */
class MultiHostLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void a_cluster_is_algo_1_to_algo_n_in_that_order_and_each_host_knows_its_place() {
        var hosts = TrainingHost.cluster(3, 2, 0, "lo");

        assertThat(hosts).extracting(TrainingHost::name).containsExactly("algo-1", "algo-2", "algo-3");
        assertThat(hosts).extracting(TrainingHost::index).containsExactly(1, 2, 3);
        assertThat(hosts).allSatisfy(h -> {
            assertThat(h.hosts()).containsExactly("algo-1", "algo-2", "algo-3");
            assertThat(h.masterHostname()).isEqualTo("algo-1");
            assertThat(h.distributed()).isTrue();
        });
        assertThat(TrainingHost.single(1, 0).distributed()).isFalse();
    }

    @Test
    void host_k_of_n_gets_every_nth_item_from_the_kth_and_every_item_goes_to_exactly_one_host() {
        var items = IntStream.range(0, 8).mapToObj(i -> "k" + i).toList();
        var hosts = TrainingHost.cluster(3, 1, 0, "eth0");

        assertThat(hosts.get(0).shardOf(items)).containsExactly("k0", "k3", "k6");
        assertThat(hosts.get(1).shardOf(items)).containsExactly("k1", "k4", "k7");
        assertThat(hosts.get(2).shardOf(items)).containsExactly("k2", "k5");
        assertThat(TrainingHost.single(1, 0).shardOf(items)).isEqualTo(items);
        assertThat(TrainingHost.cluster(10, 1, 0, "eth0").get(9).shardOf(items)).isEmpty();
    }

    @Test
    void each_host_has_its_own_resourceconfig_and_toolkit_variables_the_same_but_for_the_current_host() throws Exception {
        var spec = spec(3, InputChannel.of("train", "s3://data/train/"));
        var hosts = TrainingHost.cluster(3, 4, 0, "lo");

        for (TrainingHost host : hosts) {
            var dir = new JobDirectory(tmp.resolve(host.name()));
            dir.create(spec, host);
            JsonNode rc = JSON.readTree(dir.inputConfig().resolve("resourceconfig.json").toFile());
            assertThat(rc.get("current_host").asText()).isEqualTo(host.name());
            assertThat(rc.get("current_instance_type").asText()).isEqualTo("ml.m5.xlarge");
            assertThat(rc.get("current_group_name").asText()).isEqualTo("homogeneousCluster");
            assertThat(rc.get("hosts").toString()).isEqualTo("[\"algo-1\",\"algo-2\",\"algo-3\"]");
            assertThat(rc.get("instance_groups").toString()).isEqualTo("[{\"instance_group_name\":\"homogeneousCluster\","
                    + "\"instance_type\":\"ml.m5.xlarge\",\"hosts\":[\"algo-1\",\"algo-2\",\"algo-3\"]}]");
            assertThat(rc.get("network_interface_name").asText()).isEqualTo("lo");

            var env = TrainingEnvironment.of(spec, dir, host);
            assertThat(env).containsEntry("SM_HOSTS", "[\"algo-1\",\"algo-2\",\"algo-3\"]")
                    .containsEntry("SM_CURRENT_HOST", host.name())
                    .containsEntry("SM_CURRENT_INSTANCE_TYPE", "ml.m5.xlarge")
                    .containsEntry("SM_CURRENT_INSTANCE_GROUP", "homogeneousCluster")
                    .containsEntry("SM_CURRENT_INSTANCE_GROUP_HOSTS", "[\"algo-1\",\"algo-2\",\"algo-3\"]")
                    .containsEntry("SM_INSTANCE_GROUPS", "[\"homogeneousCluster\"]")
                    .containsEntry("SM_IS_HETERO", "false")
                    .containsEntry("SM_NETWORK_INTERFACE_NAME", "lo")
                    .containsEntry("SM_NUM_CPUS", "4");
            assertThat(JSON.readTree(env.get("SM_RESOURCE_CONFIG"))).isEqualTo(rc);
            JsonNode training = JSON.readTree(env.get("SM_TRAINING_ENV"));
            assertThat(training.get("current_host").asText()).isEqualTo(host.name());
            assertThat(training.get("hosts").toString()).isEqualTo("[\"algo-1\",\"algo-2\",\"algo-3\"]");
            assertThat(training.get("master_hostname").asText()).isEqualTo("algo-1");
            assertThat(training.get("is_master").asBoolean()).isEqualTo(host.index() == 1);
            assertThat(training.get("instance_groups_dict").get("homogeneousCluster").get("hosts")).hasSize(3);
            assertThat(training.get("resource_config")).isEqualTo(rc);
        }
    }

    @Test
    void a_sharded_channel_gives_each_host_its_shard_and_a_replicated_one_gives_every_host_everything() throws Exception {
        var store = new DirectoryObjectStore(tmp.resolve("store"));
        for (int i = 0; i < 7; i++) put(store, "data/train/part-" + i + ".csv", "row " + i);
        put(store, "data/train/sub/part-7.csv", "row 7");   // keys sort as text: part-0 ... part-6, sub/part-7
        put(store, "data/eval/a.csv", "a");
        put(store, "data/eval/b.csv", "b");
        put(store, "data/list/x1", "x1");
        put(store, "data/list/x2", "x2");
        put(store, "data/list/x3", "x3");
        put(store, "data/manifest.json", "[{\"prefix\": \"s3://data/list/\"}, \"x3\", \"x1\", \"x2\"]");
        var spec = spec(3,
                new InputChannel("train", "s3://data/train/", null, "ShardedByS3Key", null, null, null, null),
                InputChannel.of("eval", "s3://data/eval/"),
                new InputChannel("listed", "s3://data/manifest.json", "ManifestFile", "ShardedByS3Key", null, null, null, null));

        List<List<String>> shards = new ArrayList<>();
        for (TrainingHost host : TrainingHost.cluster(3, 1, 0, "lo")) {
            var dir = new JobDirectory(tmp.resolve("jobs").resolve(host.name()));
            dir.create(spec, host);
            ChannelStaging.stage(spec, dir, store, host).close();
            shards.add(files(dir.channel("train")));
            assertThat(files(dir.channel("eval"))).as(host.name()).containsExactly("a.csv", "b.csv");
            assertThat(files(dir.channel("listed"))).as(host.name())
                    .containsExactly(List.of("x3", "x1", "x2").get(host.index() - 1));
            assertThat(dir.state("shards/train")).doesNotExist();
        }
        assertThat(shards).containsExactly(
                List.of("part-0.csv", "part-3.csv", "part-6.csv"),
                List.of("part-1.csv", "part-4.csv", "sub/part-7.csv"),
                List.of("part-2.csv", "part-5.csv"));
        assertThat(Files.readString(tmp.resolve("jobs/algo-2/input/data/train/sub/part-7.csv"))).isEqualTo("row 7");
    }

    private static TrainingJobSpec spec(int instanceCount, InputChannel... channels) {
        return new TrainingJobSpec("job-1", "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1", "tuning",
                "file:///bin/true", "File", Map.of("epochs", "2"), Map.of(), List.of(), List.of(channels),
                "s3://models/out", new TrainingJobSpec.Resources("ml.m5.xlarge", instanceCount, 10), 60, false);
    }

    private static void put(DirectoryObjectStore store, String key, String text) throws Exception {
        store.write(java.net.URI.create("s3://" + key), out -> out.write(text.getBytes()));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
