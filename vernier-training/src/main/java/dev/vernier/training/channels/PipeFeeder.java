package dev.vernier.training.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * RecordIO each item is one record, else the items' bytes are concatenated. It runs in the job's
 * feeding process ({@link PipeFeeding}), not in the server.
 */
public final class PipeFeeder {
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one channel sends, written to the job's state directory for its feeding process. */
    public record Plan(String channel, List<List<Item>> units, Long seed, boolean recordIo) {
        public Plan {
            units = units.stream().map(List::copyOf).toList();
        }

        String toJson() throws IOException {
            ObjectNode json = JSON.createObjectNode().put("channel", channel).put("recordIo", recordIo);
            if (seed != null) json.put("seed", seed);
            ArrayNode unitsJson = json.putArray("units");
            for (List<Item> unit : units) {
                ArrayNode items = unitsJson.addArray();
                for (Item item : unit) {
                    if (item.file() != null) items.addObject().put("file", item.file().toString());
                    else items.addObject().put("bytes", item.bytes());
                }
            }
            return JSON.writeValueAsString(json);
        }

        static Plan fromJson(String text) throws IOException {
            JsonNode json = JSON.readTree(text);
            List<List<Item>> units = new ArrayList<>();
            for (JsonNode unit : json.get("units")) {
                List<Item> items = new ArrayList<>();
                for (JsonNode item : unit)
                    items.add(item.has("file") ? Item.of(Path.of(item.get("file").asText())) : Item.of(item.get("bytes").binaryValue()));
                units.add(items);
            }
            return new Plan(json.get("channel").asText(), units, json.hasNonNull("seed") ? json.get("seed").asLong() : null,
                    json.get("recordIo").asBoolean());
        }
    }

    private final Path dataDir;
    private final Plan plan;

    PipeFeeder(Path dataDir, Plan plan) {
        this.dataDir = dataDir;
        this.plan = plan;
    }

    static Path fifo(Path dataDir, String channel, int epoch) {
        return dataDir.resolve(channel + "_" + epoch);
    }

    /**
     * Feeds epoch after epoch; each open waits until the program opens the FIFO. Returns when the
     * program closed its end before an epoch's end (it reads no more); the process's end stops it otherwise.
     */
    void feed() {
        for (int epoch = 0; ; epoch++) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(fifo(dataDir, plan.channel(), epoch),
                    StandardOpenOption.WRITE), 1 << 16)) {
                for (List<Item> unit : order(epoch))
                    for (Item item : unit) send(out, item);
                out.flush();
                mkfifo(fifo(dataDir, plan.channel(), epoch + 1));   // before EOF, so that the reader finds the next epoch
            } catch (IOException e) {
                return;   // the program closed its end early: nothing more to feed
            }
        }
    }

    private List<List<Item>> order(int epoch) {
        if (plan.seed() == null) return plan.units();
        List<List<Item>> shuffled = new ArrayList<>(plan.units());
        Collections.shuffle(shuffled, new Random(plan.seed() * 31 + epoch));
        return shuffled;
    }

    private void send(OutputStream out, Item item) throws IOException {
        try (InputStream in = item.open()) {
            if (plan.recordIo()) RecordIo.write(out, in, item.length());
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
}
