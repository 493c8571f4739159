package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who programs run as, and what is theirs, when the server runs as root (as it does in CI). */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class JobUserTest {
    @TempDir Path tmp;

    @Test
    void a_root_server_runs_programs_as_nobody_with_no_capabilities_and_its_own_files_out_of_their_reach()
            throws Exception {
        assumeTrue(JobUser.serverUid() == 0, "the server is not root here");
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("tries_the_servers_files.sh").build()));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        String log = new String(backend.readLog(run.handle.toHandle(), 0, 10_000).bytes());
        assertThat(log).contains("uid " + JobUser.passwd("nobody")[2], "CapEff:\t0000000000000000", "model: written",
                "vernier/exit_code: refused", "vernier: not moved", "log: refused");
        Path dir = Path.of(run.handle.jobDir());
        assertThat(mode(dir)).isEqualTo("rwxrwx---");
        assertThat((Integer) Files.getAttribute(dir, "unix:mode") & 07777).as("sticky").isEqualTo(01770);
        assertThat(owner(dir)).isEqualTo("root");
        assertThat(mode(dir.resolve("vernier"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("vernier/training.log"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("vernier/launch.json"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("model"))).isEqualTo("rwx------");
        assertThat(owner(dir.resolve("model"))).isEqualTo("nobody");
        assertThat(mode(dir.resolve("input/config/hyperparameters.json"))).isEqualTo("rw-------");
        assertThat(owner(dir.resolve("input/config/hyperparameters.json"))).isEqualTo("nobody");
    }

    @Test
    void with_local_run_as_server_a_root_server_keeps_roots_uid_but_no_capabilities() throws Exception {
        assumeTrue(JobUser.serverUid() == 0, "the server is not root here");
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withRunAs("server"), jobs.store);

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("prints_identity.sh").build()));

        String log = new String(backend.readLog(run.handle.toHandle(), 0, 10_000).bytes());
        assertThat(log).contains("uid 0", "CapEff:\t0000000000000000");
    }

    @Test
    void a_program_the_job_user_cannot_run_is_refused_at_check_saying_why() throws Exception {
        assumeTrue(JobUser.serverUid() == 0, "the server is not root here");
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        Path hidden = Files.createDirectories(tmp.resolve("private"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path program = Files.copy(jobs.program("completes.sh"), hidden.resolve("completes.sh"));

        assertThatThrownBy(() -> backend.check(jobs.spec("completes.sh").image("file://" + program).build()))
                .isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("cannot be run by the user training programs run as (nobody");
    }

    @Test
    void job_files_are_private_to_the_server_when_it_is_not_root_too() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withRunAs("server"), jobs.store);

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("completes.sh").build()));

        Path dir = Path.of(run.handle.jobDir());
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("vernier/training.log"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("vernier/result.json"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("input/config/resourceconfig.json"))).isEqualTo("rw-------");
    }

    @Test
    void a_failure_file_that_is_a_symbolic_link_is_not_read() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("links_failure_file.sh").build()));

        assertThat(run.last.result().status()).isEqualTo(Status.FAILED);
        assertThat(run.last.result().failureReason()).doesNotContain("root:").contains("exited with code 2");
    }

    @Test
    void a_model_directory_replaced_by_a_symbolic_link_is_packed_empty() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("links_model_dir.sh").build();

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(new String(backend.readLog(run.handle.toHandle(), 0, 10_000).bytes())).contains("linked");
        Path archive = jobs.store.resolve(java.net.URI.create(run.last.result().modelArtifactUri()));
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(archive))) {
            assertThat(in.readAllBytes()).as("an empty tar: two blocks of zeros").isEqualTo(new byte[1024]);
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String owner(Path p) throws Exception {
        return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
    }
}
