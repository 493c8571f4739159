package dev.vernier.testkit.objectstore;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live heap, measured after a full collection, so that garbage does not count: what a store
 * keeps reachable while it moves an object, which tells streaming from buffering. A background
 * sampler catches a buffer that only lives inside a call the test cannot interrupt.
 */
final class LiveHeap implements AutoCloseable {
    private final long baseline = live();
    private final AtomicLong peak = new AtomicLong(baseline);
    private volatile boolean running = true;
    private final Thread sampler = Thread.ofPlatform().daemon().name("live-heap-sampler").start(this::sample);

    /** Bytes reachable after a full collection (System.gc() twice: the first may only enqueue references). */
    static long live() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Takes one measurement now, from the calling thread (e.g. from inside a write). */
    void measure() {
        peak.accumulateAndGet(live(), Math::max);
    }

    /** The largest growth over the baseline seen so far, in bytes. */
    long peakGrowth() {
        return peak.get() - baseline;
    }

    private void sample() {
        while (running) {
            measure();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
