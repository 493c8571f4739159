package dev.vernier.training.channels;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Pipe mode for one channel: the FIFO {@code <channel>_<epoch>} in the data directory, a fresh one
 * per epoch, fed while the program reads. {@code <channel>_0} exists before the program starts; the
 * next epoch's FIFO is made before the current one is closed, so a program that reads to the end
 * finds it. Each epoch sends every unit (an object, or a line of an augmented manifest) once, in
 * stored order or, with a ShuffleConfig seed, in an order drawn from the seed and the epoch; with
 * RecordIO each item is one record, else the items' bytes are concatenated.
 */
public final class PipeFeeder implements AutoCloseable {
    /** One piece of a unit: a staged file, or bytes. */
    public record Item(Path file, byte[] bytes) {
        public static Item of(Path file) {
            return new Item(file, null);
        }

        public static Item of(byte[] bytes) {
            return new Item(null, bytes);
        }

        long length() throws IOException {
            return file != null ? Files.size(file) : bytes.length;
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
        }
    }

    private final Path dataDir;
    private final String channel;
    private final List<List<Item>> units;
    private final Long seed;
    private final boolean recordIo;
    private final Thread thread;
    private volatile boolean closed;
    /** The FIFO the feeder is opening (blocked until the program opens it), or null. */
    private volatile Path opening;

    private PipeFeeder(Path dataDir, String channel, List<List<Item>> units, Long seed, boolean recordIo) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.units = List.copyOf(units);
        this.seed = seed;
        this.recordIo = recordIo;
        this.thread = Thread.ofPlatform().daemon().name("pipe-" + channel).unstarted(this::feed);
    }

    /** Makes {@code <channel>_0} and starts feeding it. */
    public static PipeFeeder start(Path dataDir, String channel, List<List<Item>> units, Long seed, boolean recordIo)
            throws IOException {
        PipeFeeder feeder = new PipeFeeder(dataDir, channel, units, seed, recordIo);
        mkfifo(feeder.fifo(0));
        feeder.thread.start();
        return feeder;
    }

    Path fifo(int epoch) {
        return dataDir.resolve(channel + "_" + epoch);
    }

    private void feed() {
        for (int epoch = 0; !closed; epoch++) {
            Path fifo = fifo(epoch);
            opening = fifo;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(fifo, StandardOpenOption.WRITE), 1 << 16)) {
                opening = null;
                if (closed) return;
                for (List<Item> unit : order(epoch))
                    for (Item item : unit) send(out, item);
                out.flush();
                mkfifo(fifo(epoch + 1));   // before EOF, so that the reader finds the next epoch
            } catch (IOException e) {
                return;   // the program closed its end early, or went away: nothing more to feed
            } finally {
                opening = null;
            }
        }
    }

    private List<List<Item>> order(int epoch) {
        if (seed == null) return units;
        List<List<Item>> shuffled = new ArrayList<>(units);
        Collections.shuffle(shuffled, new Random(seed * 31 + epoch));
        return shuffled;
    }

    private void send(OutputStream out, Item item) throws IOException {
        try (InputStream in = item.open()) {
            if (recordIo) RecordIo.write(out, in, item.length());
            else in.transferTo(out);
        }
    }

    static void mkfifo(Path fifo) throws IOException {
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "644", fifo.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IOException("mkfifo " + fifo + " failed: " + output.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + fifo, e);
        }
    }

    /** Stops feeding (the job ended); a feeder blocked until the program opens its FIFO is released. */
    @Override
    public void close() {
        closed = true;
        Path blocked = opening;
        if (blocked != null) {
            // Opening the read end completes the feeder's blocked open; it then sees closed and stops.
            Thread.ofPlatform().daemon().name("pipe-release-" + channel).start(() -> {
                try (InputStream in = Files.newInputStream(blocked)) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // gone already
                }
            });
        }
        thread.interrupt();
    }
}
