package dev.vernier.training.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.training.InputChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void a_new_directory_is_laid_out_like_opt_ml_with_sagemakers_config_files() throws Exception {
        var dir = new JobDirectory(tmp.resolve("job-1"));
        var spec = Specs.spec(Map.of("layers", "4", "alpha", "1e-3"), Map.of(),
                new InputChannel("train", "s3://data/train/", null, null, "text/csv", null, null, "FastFile"),
                InputChannel.of("validation", "s3://data/validation/"));

        dir.create(spec, TrainingHost.single(3, 1));

        for (String sub : List.of("input/config", "input/data/train", "input/data/validation", "model", "output/data",
                "checkpoints", "vernier"))
            assertThat(dir.root().resolve(sub)).isDirectory();
        assertThat(JSON.readTree(dir.inputConfig().resolve("hyperparameters.json").toFile()).toString())
                .isEqualTo("{\"alpha\":\"1e-3\",\"layers\":\"4\"}");
        var resources = JSON.readTree(dir.inputConfig().resolve("resourceconfig.json").toFile());
        assertThat(resources.get("current_host").asText()).isEqualTo("algo-1");
        assertThat(resources.get("current_instance_type").asText()).isEqualTo("ml.m5.large");
        assertThat(resources.get("hosts").toString()).isEqualTo("[\"algo-1\"]");
        assertThat(resources.get("instance_groups").get(0).get("hosts").toString()).isEqualTo("[\"algo-1\"]");
        assertThat(resources.get("network_interface_name").asText()).isEqualTo("eth0");
        var dataConfig = JSON.readTree(dir.inputConfig().resolve("inputdataconfig.json").toFile());
        assertThat(dataConfig.get("train").toString()).isEqualTo("{\"ContentType\":\"text/csv\","
                + "\"TrainingInputMode\":\"FastFile\",\"S3DistributionType\":\"FullyReplicated\",\"RecordWrapperType\":\"None\"}");
        assertThat(dataConfig.get("validation").get("TrainingInputMode").asText()).isEqualTo("File");
        assertThat(dir.log()).isEqualTo(dir.root().resolve("vernier/training.log"));
    }
}
