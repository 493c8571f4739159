package dev.vernier.service.controller;

import dev.vernier.core.store.Store;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The training jobs of the tuning jobs the controller drives, kept in memory between passes, so
 * that a pass (and a Describe) does not re-read and re-parse every training job of a tuning job:
 * that cost grows with the jobs already run, which made a whole tuning job quadratic.
 *
 * <p>The store stays the truth. A tuning job's jobs are read from it once, when the controller
 * first drives it (again after a restart); from then on the controller records every snapshot it
 * stores ({@link #recording}), and each pass replaces the unfinished snapshots by the ones it has
 * just read ({@link #refresh}), which brings in what others write (StopTrainingJob). Finished jobs
 * are final, so their snapshots never go stale. A write and its recording happen under one lock
 * that readers take too: whoever has seen a write in the store sees it here.
 *
 * <p>Only tuning jobs being driven are held ({@link #forget} when one ends), so memory follows the
 * active work, not the history.
 */
final class TrainingJobLedger {
    private final Store store;
    private final ReentrantLock lock = new ReentrantLock();
    /** By tuning-job key; guarded by {@link #lock}. */
    private final Map<String, Jobs> byTuningJob = new HashMap<>();

    TrainingJobLedger(Store store) {
        this.store = store;
    }

    /** The progress of a tuning job, reading its training jobs from the store the first time. */
    TuningProgress progress(String tuningJobName) {
        lock.lock();
        try {
            Jobs jobs = byTuningJob.get(ResourceNames.key(tuningJobName));
            if (jobs == null) {
                jobs = new Jobs();
                for (TrainingJob j : store.trainingJobsOf(tuningJobName)) jobs.put(j);
                byTuningJob.put(ResourceNames.key(tuningJobName), jobs);
            }
            return jobs.progress();
        } finally {
            lock.unlock();
        }
    }

    /** The progress of a tuning job that is being driven; empty for any other (read it from the store). */
    Optional<TuningProgress> known(String tuningJobName) {
        lock.lock();
        try {
            return Optional.ofNullable(byTuningJob.get(ResourceNames.key(tuningJobName))).map(Jobs::progress);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a store write that returns the snapshots now stored, and records them before any reader goes on. */
    List<TrainingJob> recording(Supplier<List<TrainingJob>> write) {
        lock.lock();
        try {
            List<TrainingJob> stored = write.get();
            stored.forEach(this::put);
            return stored;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the unfinished jobs just read from the store as the current snapshots. A held job that
     * was unfinished and is not among them has been finished behind the ledger's back (nothing does
     * that today): it is read again.
     */
    void refresh(List<TrainingJob> unfinished) {
        lock.lock();
        try {
            Set<String> fresh = new HashSet<>();
            for (TrainingJob j : unfinished) {
                fresh.add(j.name());
                Jobs jobs = byTuningJob.get(ResourceNames.key(j.tuningJobName()));
                if (jobs != null) jobs.put(j);
            }
            List<TrainingJob> behind = new ArrayList<>();
            for (Jobs jobs : byTuningJob.values())
                for (TrainingJob j : jobs.byOrdinal.values())
                    if (j.isRunning() && !fresh.contains(j.name())) behind.add(j);
            for (TrainingJob j : behind) store.trainingJob(j.name()).ifPresent(this::put);
        } finally {
            lock.unlock();
        }
    }

    void forget(String tuningJobName) {
        lock.lock();
        try {
            byTuningJob.remove(ResourceNames.key(tuningJobName));
        } finally {
            lock.unlock();
        }
    }

    private void put(TrainingJob job) {
        Jobs jobs = byTuningJob.get(ResourceNames.key(job.tuningJobName()));
        if (jobs != null) jobs.put(job);
    }

    /** One tuning job's training jobs by ordinal, and the progress computed from them until the next change. */
    private static final class Jobs {
        final TreeMap<Integer, TrainingJob> byOrdinal = new TreeMap<>();
        TuningProgress progress;

        void put(TrainingJob job) {
            byOrdinal.put(job.ordinal(), job);
            progress = null;
        }

        TuningProgress progress() {
            if (progress == null) progress = TuningProgress.of(new ArrayList<>(byOrdinal.values()));
            return progress;
        }
    }
}
