package dev.vernier.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.ObservedRun;
import dev.vernier.training.artifacts.TarGz;
import dev.vernier.training.hosts.HostNamespaces;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Script mode on the local backend: a framework image's entry point run with the local python3, as the SDK sends it. */
@ExtendWith(KillsLeftoverJobs.class)
class ScriptModeTest {
    static final String PYTORCH = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-cpu-py310";
    static final String TRAIN_PY = """
            import json, os, sys
            print("argv: " + " ".join(sys.argv[1:]))
            print("cwd: " + os.getcwd())
            for name in ["SM_USER_ARGS", "SM_MODULE_NAME", "SM_HP_LR", "SM_HPS"]:
                print(name + ": " + os.environ[name])
            lr = float(sys.argv[sys.argv.index("--lr") + 1])
            print("loss=%s" % (lr * 2))
            open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w").write("lr=%s" % lr)
            """;

    @TempDir
    Path dir;

    private Map<String, String> sdkHyperParameters(String sourceDir) {
        Map<String, String> hps = new LinkedHashMap<>();
        hps.put("sagemaker_program", "\"train.py\"");
        hps.put("sagemaker_submit_directory", "\"" + sourceDir + "\"");
        hps.put("sagemaker_container_log_level", "20");
        hps.put("sagemaker_job_name", "\"pytorch-training-2026-12-04-18-00-00-000\"");
        hps.put("sagemaker_region", "\"us-east-1\"");
        hps.put("sagemaker_estimator_class_name", "\"PyTorch\"");
        hps.put("sagemaker_estimator_module", "\"sagemaker.pytorch.estimator\"");
        hps.put("_tuning_objective_metric", "loss");
        hps.put("epochs", "3");
        hps.put("lr", "0.25");
        return hps;
    }

    private String storeSourceDir(TestJobs jobs, Map<String, String> files) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        for (var f : files.entrySet()) Files.writeString(src.resolve(f.getKey()), f.getValue());
        String uri = "s3://bucket/pytorch-training/source/sourcedir.tar.gz";
        jobs.store.write(URI.create(uri), out -> TarGz.pack(src, out));
        return uri;
    }

    @Test
    void an_sdk_shaped_script_mode_job_runs_its_entry_point_with_python3_and_the_users_arguments() throws Exception {
        TestJobs jobs = new TestJobs(dir);
        String uri = storeSourceDir(jobs, Map.of("train.py", TRAIN_PY, "requirements.txt", "torch\n"));
        TrainingBackend backend = jobs.backend();
        var job = JobSpecBuilder.named("script-1", PYTORCH).hyperParameters(sdkHyperParameters(uri)).outputPath("s3://bucket/out");
        backend.check(job.build());

        ObservedRun run = new ObservedRun(backend.launch(job.build()).handle()).pollToEnd(backend, Duration.ofSeconds(30));

        String log = new String(backend.readLog(run.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
        assertThat(run.result().status()).as(log).isEqualTo(Status.COMPLETED);
        assertThat(log).contains("argv: --epochs 3 --lr 0.25", "SM_USER_ARGS: [\"--epochs\",\"3\",\"--lr\",\"0.25\"]",
                "SM_MODULE_NAME: train", "SM_HP_LR: 0.25", "SM_HPS: {\"epochs\":3,\"lr\":0.25}",
                "requirements.txt in the source directory is ignored");
        assertThat(log).containsPattern("cwd: .*/script-1/code");
        assertThat(run.values("loss")).containsExactly(0.5);
    }

    @Test
    void a_script_mode_job_of_two_hosts_runs_the_entry_point_on_each_with_the_toolkits_view_of_its_host() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HostNamespaces.detect().prefix != null, () -> HostNamespaces.detect().problem);
        TestJobs jobs = new TestJobs(dir);
        String uri = storeSourceDir(jobs, Map.of("train.py", """
                import json, os, socket
                env = json.loads(os.environ["SM_TRAINING_ENV"])
                print("%s cwd=%s master=%s is_master=%s hosts=%s" % (env["current_host"], os.getcwd(),
                      env["master_hostname"], env["is_master"], os.environ["SM_HOSTS"]))
                open(os.path.join(os.environ["SM_MODEL_DIR"], env["current_host"] + ".txt"), "w").write("x")
                """));
        TrainingBackend backend = jobs.backend();
        var job = JobSpecBuilder.named("script-hosts", PYTORCH).hyperParameters(sdkHyperParameters(uri))
                .instanceCount(2).outputPath("s3://bucket/out");

        ObservedRun run = new ObservedRun(backend.launch(job.build()).handle()).pollToEnd(backend, Duration.ofSeconds(60));

        String log = new String(backend.readLog(run.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
        assertThat(run.result().status()).as(log).isEqualTo(Status.COMPLETED);
        assertThat(log).containsPattern("algo-1 cwd=.*/script-hosts/host/code master=algo-1 is_master=True hosts=\\[\"algo-1\",\"algo-2\"\\]")
                .containsPattern("algo-2 cwd=.*/script-hosts/host/code master=algo-1 is_master=False");
    }

    @Test
    void a_framework_image_without_a_python_and_a_source_directory_that_escapes_are_refused() throws Exception {
        TestJobs jobs = new TestJobs(dir);
        TrainingBackend backend = jobs.backend();
        var unknown = JobSpecBuilder.named("script-2", "localhost/my-own:1")
                .hyperParameters(sdkHyperParameters("s3://bucket/x/sourcedir.tar.gz"));
        assertThatThrownBy(() -> backend.check(unknown.build())).isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("script-images");

        Path evil = dir.resolve("evil.tar.gz");
        try (var out = Files.newOutputStream(evil);
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(out))) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../../escaped.py");
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        jobs.store.write(URI.create("s3://bucket/evil/sourcedir.tar.gz"), out -> Files.copy(evil, out));
        var escaping = JobSpecBuilder.named("script-3", PYTORCH)
                .hyperParameters(sdkHyperParameters("s3://bucket/evil/sourcedir.tar.gz")).outputPath("s3://bucket/out");
        assertThatThrownBy(() -> backend.launch(escaping.build())).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("archive entry '../../escaped.py' climbs out of the directory");
        assertThat(jobs.root.resolve("jobs/escaped.py")).doesNotExist();
    }
}
