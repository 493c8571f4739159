package dev.vernier.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {
    @TempDir Path tmp;

    @Test
    void system_tar_extracts_what_we_pack_including_long_names_links_and_modes() throws Exception {
        Path model = tmp.resolve("model");
        String longDir = "d".repeat(90) + "/" + "e".repeat(60);
        Files.createDirectories(model.resolve(longDir));
        Files.writeString(model.resolve(longDir).resolve("weights-" + "w".repeat(120) + ".bin"), "long");
        Files.write(model.resolve("model.bin"), new byte[1000]);
        Files.createDirectories(model.resolve("empty"));
        Files.writeString(model.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(model.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(model.resolve("latest"), Path.of("model.bin"));

        Path tarGz = tmp.resolve("model.tar.gz");
        pack(model, tarGz);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarGz.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String messages = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as(messages).isZero();

        assertThat(out.resolve(longDir).resolve("weights-" + "w".repeat(120) + ".bin")).hasContent("long");
        assertThat(Files.size(out.resolve("model.bin"))).isEqualTo(1000);
        assertThat(out.resolve("empty")).isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("run.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(out.resolve("latest"))).isEqualTo(Path.of("model.bin"));
        assertThat(tarListing(tarGz)).contains("empty/", "latest", "model.bin", "run.sh")
                .noneMatch(name -> name.startsWith("./"));
    }

    @Test
    void a_missing_or_empty_directory_packs_to_an_empty_archive() throws Exception {
        Path tarGz = tmp.resolve("empty.tar.gz");
        pack(tmp.resolve("no-such-dir"), tarGz);
        assertThat(tarListing(tarGz)).isEmpty();
    }

    @Test
    void archives_packed_one_after_another_each_pass_gzip_s_checksum_and_length_checks() throws Exception {
        // the compressor is reused between archives: a state left over would corrupt the next one
        byte[] noise = new byte[300_000];
        new java.util.Random(7).nextBytes(noise);
        for (int i = 0; i < 3; i++) {
            Path dir = Files.createDirectories(tmp.resolve("model-" + i));
            Files.write(dir.resolve("weights.bin"), java.util.Arrays.copyOf(noise, 100_000 * (i + 1)));
            Files.writeString(dir.resolve("note.txt"), "archive " + i);
            Path tarGz = tmp.resolve("model-" + i + ".tar.gz");
            pack(dir, tarGz);
            Process gzip = new ProcessBuilder("gzip", "-t", tarGz.toString()).redirectErrorStream(true).start();
            String messages = new String(gzip.getInputStream().readAllBytes());
            assertThat(gzip.waitFor()).as(messages).isZero();
            byte[] tar;
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(tarGz))) {
                tar = in.readAllBytes();
            }
            assertThat(tar.length % 512).isZero();
            assertThat(tarListing(tarGz)).containsExactlyInAnyOrder("note.txt", "weights.bin");
        }
    }

    /** What the system's tar lists in an archive, sorted. */
    static java.util.List<String> tarListing(Path tarGz) throws Exception {
        Process p = new ProcessBuilder("tar", "-tzf", tarGz.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return out.lines().sorted().toList();
    }

    private static void pack(Path dir, Path tarGz) throws java.io.IOException {
        try (var out = Files.newOutputStream(tarGz)) {
            TarGz.pack(dir, out);
        }
    }
}
