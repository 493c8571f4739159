package dev.vernier.testkit.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.objectstore.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} does, specified through the interface alone (the directory store
 * and an S3 store must both pass it). An object is read back by staging its whole key with
 * {@link ObjectStore#copyPrefixTo}, the only read the interface has.
 *
 * <p>Staging follows the SageMaker Python SDK's local mode ({@code sagemaker.utils.download_folder}):
 * an object lands at its key with the prefix removed, or at its file name when the prefix is the
 * whole key. Where the SDK differs, the suite pins what Vernier does and says so.
 *
 * <p>A subclass supplies {@link #openStore()}; buckets {@link #BUCKET} and {@link #OTHER_BUCKET}
 * must exist and be empty in it for every test.
 */
public abstract class ObjectStoreContract {
    protected static final String BUCKET = "contract-bucket";
    protected static final String OTHER_BUCKET = "contract-other";
    private static final long LARGE = 256L << 20;
    private static final long HEAP_BOUND = 64L << 20;

    /** A fresh directory per test; subclasses may keep their store's files below it too. */
    @TempDir protected Path tmp;
    protected ObjectStore store;

    /** A store in which {@link #BUCKET} and {@link #OTHER_BUCKET} exist and are empty; called before each test. */
    protected abstract ObjectStore openStore() throws Exception;

    /** Whether the store also serves {@code file:///absolute/path} locations (the default store does). */
    protected boolean servesFileLocations() {
        return true;
    }

    @BeforeEach
    void openTheStore() throws Exception {
        store = openStore();
    }

    @Test
    void servesS3LocationsInItsBucketsAndRefusesOtherSchemes() {
        for (String served : List.of("s3://" + BUCKET + "/", "s3://" + BUCKET + "/data/train.csv",
                "s3://" + BUCKET + "/data/train", "s3://" + OTHER_BUCKET + "/output/"))
            assertThat(store.handles(URI.create(served))).as(served).isTrue();
        if (servesFileLocations()) assertThat(store.handles(tmp.resolve("x").toUri())).as("file URI").isTrue();
        for (String foreign : List.of("https://example.com/x", "http://" + BUCKET + "/x", "gs://" + BUCKET + "/x",
                "ftp://host/x", "s3:///no-bucket/x", "file://host/x", "file:relative/x", "relative/x"))
            assertThat(store.handles(URI.create(foreign))).as(foreign).isFalse();
    }

    @Test
    void anObjectReadsBackByteForByte() throws IOException {
        byte[] everyByte = new byte[256 * 3];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = (byte) i;
        store.write(s3("bin/all.bytes"), out -> out.write(everyByte));
        store.write(s3("bin/empty"), out -> {});

        assertThat(read(s3("bin/all.bytes"))).isEqualTo(everyByte);
        assertThat(read(s3("bin/empty"))).isEmpty();
    }

    @Test
    void writingAgainReplacesTheWholeObject() throws IOException {
        put("out/model.tar.gz", "a longer first version");
        put("out/model.tar.gz", "v2");

        assertThat(readString("out/model.tar.gz")).isEqualTo("v2");
        assertThat(stage("s3://" + BUCKET + "/out/")).containsExactly(Map.entry("model.tar.gz", "v2"));
    }

    @Test
    void aLocationWithoutAKeyOrEndingInSlashIsNoObject() {
        for (String location : List.of("s3://" + BUCKET + "/out/", "s3://" + BUCKET + "/", "s3://" + BUCKET))
            assertThatThrownBy(() -> store.write(URI.create(location), out -> out.write(1))).as(location)
                    .isInstanceOf(IllegalArgumentException.class);
        assertThat(stage("s3://" + BUCKET + "/")).isEmpty();
    }

    @Test
    void aDirectoryPrefixStagesEveryObjectBelowItAtItsKeyRelativeToThePrefix() throws IOException {
        putAll("data/train/one.csv", "data/train/sub/two.csv", "data/train/sub/deeper/three.csv", "data/test/four.csv");

        Map<String, String> expected = Map.of("one.csv", "data/train/one.csv", "sub/two.csv", "data/train/sub/two.csv",
                "sub/deeper/three.csv", "data/train/sub/deeper/three.csv");
        assertThat(stage("s3://" + BUCKET + "/data/train/")).isEqualTo(expected);
        // without the trailing '/', the same objects at the same places
        assertThat(stage("s3://" + BUCKET + "/data/train")).isEqualTo(expected);
    }

    @Test
    void aKeyPrefixMatchesEveryKeyThatStartsWithItAndKeepsNamesWhole() throws IOException {
        putAll("data1.csv", "data/x.csv", "database/y.csv", "other.csv");

        // SageMaker's S3Prefix: s3://b/data matches data1.csv, data/x.csv and database/y.csv. The
        // SDK's local mode stages them at the key minus the prefix ("1.csv", "x.csv", "base/y.csv");
        // Vernier cuts only at a '/' and keeps a name that the prefix ends inside whole.
        assertThat(stage("s3://" + BUCKET + "/data")).isEqualTo(Map.of(
                "data1.csv", "data1.csv", "x.csv", "data/x.csv", "database/y.csv", "database/y.csv"));
    }

    @Test
    void aWholeKeyStagesThatObjectAtItsFileName() throws IOException {
        putAll("data/train/one.csv", "data/train/two.csv");

        assertThat(stage("s3://" + BUCKET + "/data/train/one.csv")).isEqualTo(Map.of("one.csv", "data/train/one.csv"));
    }

    @Test
    void oneObjectIsCopiedByItsWholeKeyAndNoLongerKey() throws IOException {
        putAll("data/one.csv", "data/one.csv.bak", "data/one.csvx/inner");
        Path target = tmp.resolve("exact/renamed.csv");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "stale, and longer than the object");

        store.copyObjectTo(s3("data/one.csv"), target);

        assertThat(target).hasContent("data/one.csv");
        assertThat(files(tmp.resolve("exact"))).containsOnlyKeys("renamed.csv");
    }

    @Test
    void copyingAMissingObjectIsNoSuchFile() {
        for (String key : List.of("data/none.csv", "data/one", "data/"))
            assertThatThrownBy(() -> store.copyObjectTo(s3(key), tmp.resolve("missing/x"))).as(key)
                    .isInstanceOfAny(java.nio.file.NoSuchFileException.class, IllegalArgumentException.class);
        assertThat(files(tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void aWholeKeyAlsoMatchesTheLongerKeysItIsAPrefixOf() throws IOException {
        putAll("data/one.csv", "data/one.csv.bak");

        // Pinned: S3Prefix semantics. The SDK's local mode stages only the exact object when one exists.
        assertThat(stage("s3://" + BUCKET + "/data/one.csv"))
                .isEqualTo(Map.of("one.csv", "data/one.csv", "one.csv.bak", "data/one.csv.bak"));
    }

    @Test
    void theBucketItselfIsAPrefixOfEveryObjectInIt() throws IOException {
        putAll("a.csv", "dir/b.csv");

        assertThat(stage("s3://" + BUCKET + "/")).isEqualTo(Map.of("a.csv", "a.csv", "dir/b.csv", "dir/b.csv"));
    }

    @Test
    void aPrefixThatMatchesNothingStagesNothingAndCountsZero() throws IOException {
        putAll("data/train/one.csv");

        // Pinned, and questionable: SageMaker refuses a training job whose channel matches no object
        // ("No S3 objects found under S3 URL ... given in input data source"), while this returns 0
        // and the local backend, which ignores the count, starts the job with an empty channel.
        for (String prefix : List.of("data/nothing/", "data/nothing", "nothing/", "data/train/one.csv.gz")) {
            Path target = tmp.resolve("staged-" + prefix.replace('/', '_'));
            assertThat(store.copyPrefixTo(s3(prefix), target)).as(prefix).isZero();
            assertThat(files(target)).as(prefix).isEmpty();
        }
        assertThat(store.copyPrefixTo(URI.create("s3://" + OTHER_BUCKET + "/"), tmp.resolve("empty-bucket"))).isZero();
    }

    @Test
    void stagingReplacesFilesAlreadyInTheTargetDirectory() throws IOException {
        putAll("data/one.csv");
        Path target = Files.createDirectories(tmp.resolve("channel"));
        Files.writeString(target.resolve("one.csv"), "stale content, longer than the object");

        assertThat(store.copyPrefixTo(s3("data/"), target)).isEqualTo(1);
        assertThat(target.resolve("one.csv")).hasContent("data/one.csv");
    }

    @Test
    void keysWithSpacesAndUnicodeRoundTrip() throws IOException {
        URI location = s3Key("my data/naïve ü 数据 (1).csv");
        store.write(location, out -> out.write("spaces".getBytes(UTF_8)));

        assertThat(new String(read(location), UTF_8)).isEqualTo("spaces");
        assertThat(stage(s3Key("my data/"))).isEqualTo(Map.of("naïve ü 数据 (1).csv", "spaces"));
        assertThat(stage(s3Key("my data/naïve ü"))).isEqualTo(Map.of("naïve ü 数据 (1).csv", "spaces"));
        assertThat(stage(s3Key("my "))).isEqualTo(Map.of("my data/naïve ü 数据 (1).csv", "spaces"));
    }

    @Test
    void aLargeObjectStreamsThroughInBoundedMemory() throws Exception {
        GeneratedBytes large = new GeneratedBytes(LARGE, 42);
        URI location = s3("large/blob.bin");
        long written;
        long writeGrowth;
        try (LiveHeap heap = new LiveHeap()) {
            long[] crc = new long[1];
            store.write(location, out -> crc[0] = large.writeTo(out, heap::measure));
            written = crc[0];
            heap.close();
            writeGrowth = heap.peakGrowth();
        }
        Path target = tmp.resolve("large");
        long readGrowth;
        try (LiveHeap heap = new LiveHeap()) {
            assertThat(store.copyPrefixTo(location, target)).isEqualTo(1);
            heap.close();
            readGrowth = heap.peakGrowth();
        }
        assertThat(Files.size(target.resolve("blob.bin"))).isEqualTo(LARGE);
        assertThat(GeneratedBytes.crcOf(target.resolve("blob.bin"))).isEqualTo(written);
        assertThat(writeGrowth).as("live heap growth while writing %d MiB", LARGE >> 20).isLessThan(HEAP_BOUND);
        assertThat(readGrowth).as("live heap growth while staging %d MiB", LARGE >> 20).isLessThan(HEAP_BOUND);
    }

    @Test
    void aFailedWriteKeepsThePreviousObjectAndStoresNothingElse() throws IOException {
        put("out/model.tar.gz", "whole");
        for (Exception failure : List.of(new IOException("disk full"), new IllegalStateException("packing failed"))) {
            assertThatThrownBy(() -> store.write(s3("out/model.tar.gz"), out -> {
                out.write("half".getBytes(UTF_8));
                out.flush();
                if (failure instanceof IOException io) throw io;
                throw (RuntimeException) failure;
            })).as(failure.toString()).isInstanceOf(failure.getClass()).hasMessage(failure.getMessage());

            assertThat(stage("s3://" + BUCKET + "/out/")).containsExactly(Map.entry("model.tar.gz", "whole"));
        }
    }

    @Test
    void aFailedFirstWriteStoresNothing() {
        assertThatThrownBy(() -> store.write(s3("out/model.tar.gz"), out -> {
            out.write("half".getBytes(UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class);

        assertThat(stage("s3://" + BUCKET + "/")).isEmpty();
    }

    @Test
    void aReaderDuringAWriteSeesThePreviousObjectAndNothingElse() throws Exception {
        put("out/model.tar.gz", "old");
        CountDownLatch midway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Future<?> write = writer.submit(() -> {
                store.write(s3("out/model.tar.gz"), out -> {
                    out.write("new, first half; ".getBytes(UTF_8));
                    out.flush();
                    midway.countDown();
                    await(release);
                    out.write("second half".getBytes(UTF_8));
                });
                return null;
            });
            try {
                assertThat(midway.await(30, TimeUnit.SECONDS)).as("the write reached its middle").isTrue();

                assertThat(readString("out/model.tar.gz")).isEqualTo("old");
                assertThat(stage("s3://" + BUCKET + "/out/")).containsExactly(Map.entry("model.tar.gz", "old"));
                assertThat(stage("s3://" + BUCKET + "/")).containsExactly(Map.entry("out/model.tar.gz", "old"));
            } finally {
                release.countDown();
            }
            write.get(30, TimeUnit.SECONDS);
        }
        assertThat(stage("s3://" + BUCKET + "/")).containsExactly(Map.entry("out/model.tar.gz", "new, first half; second half"));
    }

    @Test
    void concurrentWritesToOneKeyLeaveOneOfThemWhole() throws Exception {
        String a = "a".repeat(100_000);
        String b = "b".repeat(100_000);
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        try (ExecutorService writers = Executors.newFixedThreadPool(2)) {
            List<Future<?>> writes = Stream.of(a, b).<Future<?>>map(text -> writers.submit(() -> {
                store.write(s3("out/model.tar.gz"), out -> {
                    out.write(text.substring(0, 50_000).getBytes(UTF_8));
                    out.flush();
                    await(bothStarted);
                    out.write(text.substring(50_000).getBytes(UTF_8));
                });
                return null;
            })).toList();
            for (Future<?> w : writes) w.get(30, TimeUnit.SECONDS);
        }
        assertThat(readString("out/model.tar.gz")).isIn(a, b);
        assertThat(stage("s3://" + BUCKET + "/")).hasSize(1);
    }

    @Test
    void dotDotSegmentsDoNotReachAnotherBucket() throws IOException {
        URI secret = URI.create("s3://" + OTHER_BUCKET + "/secret.txt");
        store.write(secret, out -> out.write("secret".getBytes(UTF_8)));

        for (String sneaky : List.of("/../" + OTHER_BUCKET + "/planted.txt", "/a/../../" + OTHER_BUCKET + "/planted.txt",
                "/%2E%2E/" + OTHER_BUCKET + "/planted.txt")) {
            URI location = URI.create("s3://" + BUCKET + sneaky);
            // a store may refuse such a key or store it literally in BUCKET; it may not write into OTHER_BUCKET
            writeOrRefuse(location, "planted");
        }
        assertThat(stage("s3://" + OTHER_BUCKET + "/")).isEqualTo(Map.of("secret.txt", "secret"));

        for (String sneaky : List.of("/../" + OTHER_BUCKET + "/", "/a/../../" + OTHER_BUCKET + "/secret.txt",
                "/%2E%2E/" + OTHER_BUCKET + "/")) {
            Path target = tmp.resolve("sneaky-" + Math.abs(sneaky.hashCode()));
            stageOrRefuse(URI.create("s3://" + BUCKET + sneaky), target);
            assertThat(files(target)).as(sneaky).doesNotContainValue("secret");
        }
    }

    @Test
    void dotDotSegmentsInKeysDoNotEscapeTheTargetDirectory() throws IOException {
        put("data/inside.csv", "inside");
        for (String key : List.of("data/../../escaped.txt", "data/a/../../../escaped.txt", "data/%2E%2E/%2E%2E/escaped.txt"))
            writeOrRefuse(URI.create("s3://" + BUCKET + "/" + key), "escaped");
        Path area = Files.createDirectories(tmp.resolve("area/one/two"));

        for (String prefix : List.of("data/", "data", ""))
            stageOrRefuse(s3(prefix), area.resolve("target"));
        assertThat(files(tmp.resolve("area"))).allSatisfy((path, content) -> assertThat(path).startsWith("one/two/target/"));
        assertThat(files(tmp.resolve("area"))).containsEntry("one/two/target/inside.csv", "inside");
    }

    @Test
    void fileLocationsReadAndWriteLocalPaths() throws IOException {
        assumeTrue(servesFileLocations(), "the store serves s3:// only");
        Path dir = Files.createDirectories(tmp.resolve("local data"));
        store.write(dir.resolve("one.csv").toUri(), out -> out.write("1".getBytes(UTF_8)));
        store.write(dir.resolve("sub/two.csv").toUri(), out -> out.write("2".getBytes(UTF_8)));

        assertThat(stage(dir.toUri())).isEqualTo(Map.of("one.csv", "1", "sub/two.csv", "2"));
        assertThat(stage(dir.resolve("one.csv").toUri())).isEqualTo(Map.of("one.csv", "1"));
        assertThat(stage(dir.resolve("o").toUri())).isEqualTo(Map.of("one.csv", "1"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** {@code s3://BUCKET/<key>} for a key in URI syntax (already escaped). */
    protected static URI s3(String key) {
        return URI.create("s3://" + BUCKET + "/" + key);
    }

    /** {@code s3://BUCKET/<key>} for a raw key, escaped as a URI needs (a space becomes %20). */
    protected static URI s3Key(String rawKey) {
        try {
            return new URI("s3", BUCKET, "/" + rawKey, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void put(String key, String content) throws IOException {
        store.write(s3(key), out -> out.write(content.getBytes(UTF_8)));
    }

    /** Writes each key with its own key as content. */
    private void putAll(String... keys) throws IOException {
        for (String key : keys) put(key, key);
    }

    private void writeOrRefuse(URI location, String content) {
        try {
            store.write(location, out -> out.write(content.getBytes(UTF_8)));
        } catch (IllegalArgumentException | IOException refused) {
            // refusing is one of the two allowed answers
        }
    }

    private void stageOrRefuse(URI prefix, Path target) {
        try {
            store.copyPrefixTo(prefix, target);
        } catch (IllegalArgumentException | IOException refused) {
            // refusing is one of the two allowed answers
        }
    }

    /** The bytes of one object, staged by its whole key. */
    protected byte[] read(URI location) throws IOException {
        Path target = Files.createTempDirectory(tmp, "read");
        assertThat(store.copyPrefixTo(location, target)).as("objects staged for %s", location).isEqualTo(1);
        String path = location.getPath();
        return Files.readAllBytes(target.resolve(path.substring(path.lastIndexOf('/') + 1)));
    }

    private String readString(String key) throws IOException {
        return new String(read(s3(key)), UTF_8);
    }

    private Map<String, String> stage(String prefix) {
        return stage(URI.create(prefix));
    }

    /** Stages a prefix into a fresh directory: each staged file's relative path and content; the count must agree. */
    protected Map<String, String> stage(URI prefix) {
        try {
            Path target = tmp.resolve("staged").resolve(Long.toString(System.nanoTime()));
            int count = store.copyPrefixTo(prefix, target);
            Map<String, String> staged = files(target);
            assertThat(count).as("count returned for %s", prefix).isEqualTo(staged.size());
            return staged;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file below {@code dir} ('/'-separated relative path → content); empty when there is no dir. */
    protected static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator)
                if (Files.isRegularFile(p))
                    out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IOException("timed out waiting to go on");
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("waiting for the other writer: " + e, e);
        }
    }
}
