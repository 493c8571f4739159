package dev.vernier.backend.slurm;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.wrapper.Wrapper;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks every 50 ms for the exit_code files of the runs it is told to watch, and tells
 * the listener when one appears: the controller then observes the run at once instead of at its
 * next periodic pass. One stat per running job per look, on the shared file system; Slurm is not asked.
 */
final class ExitWatcher implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;

    private final Set<Path> watched = ConcurrentHashMap.newKeySet();
    private volatile Runnable listener;
    private Thread thread;

    synchronized void listener(Runnable listener) {
        this.listener = listener;
        if (thread == null) thread = Thread.ofPlatform().daemon().name("vernier-slurm-exits").start(this::loop);
    }

    void watch(JobDirectory dir) {
        if (listener != null) watched.add(dir.root());
    }

    void unwatch(JobDirectory dir) {
        watched.remove(dir.root());
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(PERIOD_MILLIS);
                boolean ended = false;
                for (Path dir : watched) {
                    if (Wrapper.exitRecorded(new JobDirectory(dir))) {
                        watched.remove(dir);
                        ended = true;
                    }
                }
                if (ended) listener.run();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) thread.interrupt();
    }
}
