package dev.vernier.testkit.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * A large object that is never held in memory: pseudo-random bytes from a seed, written in 64 KiB
 * chunks, with their CRC-32 computed on the way, so that a copy can be checked without a second
 * copy to compare against.
 */
final class GeneratedBytes {
    private static final int CHUNK = 64 * 1024;

    private final long size;
    private final long seed;

    GeneratedBytes(long size, long seed) {
        this.size = size;
        this.seed = seed;
    }

    long size() {
        return size;
    }

    /** Writes the bytes; {@code halfway} runs once when half of them are written. Returns their CRC-32. */
    long writeTo(OutputStream out, Runnable halfway) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[CHUNK];
        boolean halfDone = false;
        for (long written = 0; written < size; ) {
            int n = (int) Math.min(CHUNK, size - written);
            rng.nextBytes(chunk);
            crc.update(chunk, 0, n);
            out.write(chunk, 0, n);
            written += n;
            if (!halfDone && written >= size / 2) {
                halfDone = true;
                halfway.run();
            }
        }
        return crc.getValue();
    }

    /** The CRC-32 of a file, read as a stream. */
    static long crcOf(Path file) throws IOException {
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), new CRC32())) {
            in.transferTo(OutputStream.nullOutputStream());
            return ((CheckedInputStream) in).getChecksum().getValue();
        }
    }
}
