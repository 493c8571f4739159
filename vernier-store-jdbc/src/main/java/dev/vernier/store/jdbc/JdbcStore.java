package dev.vernier.store.jdbc;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Lease;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.StaleLeaseException;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.Tag;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.Query;

/**
 * The store's SQL, for every database it runs on: tuning jobs, training jobs, metric series, leases,
 * decisions, tags and the dashboard's sign-outs and failed sign-ins, and their keyset listings. What differs between databases is the {@link Dialect}'s.
 *
 * <p>Correctness does not rest on one process: tuning-job rows are written by compare-and-set on their
 * version, and every fenced write first reads its tuning job's lease (locking that row where the
 * database has concurrent writers), so a lease cannot change hands between the check and the write.
 * Taking free leases locks their rows too, oldest job first.
 */
public class JdbcStore implements Store {
    private final Dialect dialect;

    protected JdbcStore(Dialect dialect) {
        this.dialect = dialect;
    }

    protected final <T> T write(HandleCallback<T, RuntimeException> work) {
        return dialect.write(work);
    }

    private <T> T read(HandleCallback<T, RuntimeException> work) {
        return dialect.read(work);
    }

    @Override
    public boolean createTuningJob(TuningJob job, List<Tag> tags) {
        return write(h -> {
            String key = ResourceNames.key(job.name());
            // a concurrent Create of the same name (on another server) waits for this one and then does nothing
            int inserted = h.createUpdate("""
                    INSERT INTO tuning_job (name_key, name, arn, status, strategy, creation_time, last_modified_time,
                                            end_time, failure_reason, spec, strategy_state, finishing_reason, version)
                    VALUES (:key, :name, :arn, :status, :strategy, :created, :modified, :ended, :reason, :spec, :state,
                            :finishing, 0)
                    ON CONFLICT DO NOTHING""")
                    .bind("key", key).bind("name", job.name()).bind("arn", job.arn())
                    .bind("status", job.status().apiName()).bind("strategy", job.strategy())
                    .bind("created", job.creationTime().toEpochMilli())
                    .bind("modified", job.lastModifiedTime().toEpochMilli())
                    .bind("ended", job.endTime() == null ? null : job.endTime().toEpochMilli())
                    .bind("reason", job.failureReason()).bind("spec", job.spec())
                    .bind("state", job.strategyState()).bind("finishing", job.finishingReason())
                    .execute();
            if (inserted == 0) return false;
            putTags(h, job.arn(), tags);
            return true;
        });
    }

    @Override
    public Optional<TuningJob> tuningJob(String name) {
        return read(h -> h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(name)).map((rs, ctx) -> tuningJob(rs)).findOne());
    }

    @Override
    public Page<TuningJob> listTuningJobs(TuningJobQuery q) {
        KeysetListing<TuningJob> listing = new KeysetListing<TuningJob>("tuning_job")
                .filter(q.nameContains(), "name_key LIKE :contains ESCAPE '\\'", "contains", v -> containing((String) v))
                .filter(q.createdAfter(), "creation_time > :createdAfter", "createdAfter", JdbcStore::millis)
                .filter(q.createdBefore(), "creation_time < :createdBefore", "createdBefore", JdbcStore::millis)
                .filter(q.modifiedAfter(), "last_modified_time > :modifiedAfter", "modifiedAfter", JdbcStore::millis)
                .filter(q.modifiedBefore(), "last_modified_time < :modifiedBefore", "modifiedBefore", JdbcStore::millis)
                .filter(q.status(), "status = :status", "status", v -> ((TuningJobStatus) v).apiName());
        return read(h -> switch (q.sortBy()) {
            case NAME -> listing.page(h, "name", "name_key", KeysetListing.SortType.TEXT, q.descending(), q.maxResults(),
                    q.nextToken(), (rs, ctx) -> tuningJob(rs), j -> ResourceNames.key(j.name()), j -> ResourceNames.key(j.name()));
            case STATUS -> listing.page(h, "status", "status", KeysetListing.SortType.TEXT, q.descending(), q.maxResults(),
                    q.nextToken(), (rs, ctx) -> tuningJob(rs), j -> j.status().apiName(), j -> ResourceNames.key(j.name()));
            case CREATION_TIME -> listing.page(h, "creation", "creation_time", KeysetListing.SortType.INTEGER, q.descending(),
                    q.maxResults(), q.nextToken(), (rs, ctx) -> tuningJob(rs),
                    j -> Long.toString(j.creationTime().toEpochMilli()), j -> ResourceNames.key(j.name()));
        });
    }

    /** A LIKE pattern matching names that contain {@code text}, in any case, with LIKE's wildcards taken literally. */
    private static String containing(String text) {
        return "%" + ResourceNames.key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static Object millis(Object instant) {
        return ((Instant) instant).toEpochMilli();
    }

    @Override
    public List<TuningJob> tuningJobsIn(Set<TuningJobStatus> statuses) {
        if (statuses.isEmpty()) return List.of();
        // placeholders written out: there is no template engine for a <statuses> list (see the constructor)
        List<String> names = statuses.stream().map(TuningJobStatus::apiName).toList();
        return read(h -> {
            Query query = h.createQuery("SELECT * FROM tuning_job WHERE status IN ("
                    + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ") ORDER BY creation_time, name_key");
            for (int i = 0; i < names.size(); i++) query.bind(i, names.get(i));
            return query.map((rs, ctx) -> tuningJob(rs)).list();
        });
    }

    @Override
    public Optional<TuningJob> updateTuningJob(TuningJob changed, Lease lease) {
        return write(h -> compareAndSet(h, changed, lease) ? Optional.of(changed.nextVersion()) : Optional.empty());
    }

    /** Writes the changeable columns of a tuning job if its stored version is the one read. */
    private boolean compareAndSet(Handle h, TuningJob changed, Lease lease) {
        String key = ResourceNames.key(changed.name());
        checkLease(h, key, lease);
        return h.createUpdate("""
                UPDATE tuning_job SET status = :status, last_modified_time = :modified, end_time = :ended,
                       failure_reason = :reason, strategy_state = :state, finishing_reason = :finishing,
                       version = version + 1
                WHERE name_key = :key AND version = :version""")
                .bind("status", changed.status().apiName()).bind("modified", changed.lastModifiedTime().toEpochMilli())
                .bind("ended", changed.endTime() == null ? null : changed.endTime().toEpochMilli())
                .bind("reason", changed.failureReason()).bind("state", changed.strategyState())
                .bind("finishing", changed.finishingReason()).bind("key", key).bind("version", changed.version())
                .execute() == 1;
    }

    /**
     * Refuses a write whose lease is no longer the tuning job's (a null lease: a user's write, not fenced).
     * Where the dialect locks rows, the tuning job's row stays locked until the write commits, so the
     * lease cannot pass to another server in between.
     */
    private void checkLease(Handle h, String tuningJobKey, Lease lease) {
        if (lease == null) return;
        boolean held = h.createQuery("SELECT COALESCE(lease_owner = ? AND lease_fence = ?, false) FROM tuning_job WHERE name_key = ?"
                        + dialect.lockingRead())
                .bind(0, lease.owner()).bind(1, lease.fence()).bind(2, tuningJobKey).mapTo(Boolean.class).findOne()
                .orElse(false);
        if (!held) throw new StaleLeaseException("the lease of " + lease.owner() + " (fence " + lease.fence()
                + ") on tuning job " + lease.tuningJobName() + " is no longer held");
    }

    /** Tuning jobs that need a server to drive them: active, or with training jobs still running. */
    private static final String NEEDS_DRIVING = "(status IN ('InProgress', 'Stopping') OR EXISTS (SELECT 1 FROM training_job t"
            + " WHERE t.tuning_job_key = tuning_job.name_key AND t.status IN ('InProgress', 'Stopping')))";

    @Override
    public List<Lease> acquireLeases(String owner, Instant now, Duration ttl, int maxNew) {
        long until = now.plus(ttl).toEpochMilli();
        return write(h -> {
            h.createUpdate("UPDATE tuning_job SET lease_expires_at = ? WHERE lease_owner = ? AND " + NEEDS_DRIVING)
                    .bind(0, until).bind(1, owner).execute();
            if (maxNew > 0) {
                List<String> free = h.createQuery("SELECT name_key FROM tuning_job WHERE (lease_owner IS NULL OR"
                                + " (lease_owner <> ? AND lease_expires_at < ?)) AND " + NEEDS_DRIVING
                                + " ORDER BY creation_time, name_key LIMIT ?" + dialect.lockingRead())
                        .bind(0, owner).bind(1, now.toEpochMilli()).bind(2, maxNew).mapTo(String.class).list();
                for (String key : free)
                    h.createUpdate("UPDATE tuning_job SET lease_owner = ?, lease_expires_at = ?, lease_fence = lease_fence + 1"
                                    + " WHERE name_key = ? AND (lease_owner IS NULL OR (lease_owner <> ? AND lease_expires_at < ?))")
                            .bind(0, owner).bind(1, until).bind(2, key).bind(3, owner).bind(4, now.toEpochMilli()).execute();
            }
            return h.createQuery("SELECT name, lease_owner, lease_fence, lease_expires_at FROM tuning_job"
                            + " WHERE lease_owner = ? ORDER BY creation_time, name_key")
                    .bind(0, owner)
                    .map((rs, ctx) -> new Lease(rs.getString(1), rs.getString(2), rs.getLong(3),
                            Instant.ofEpochMilli(rs.getLong(4))))
                    .list();
        });
    }

    @Override
    public void releaseLeases(String owner) {
        write(h -> h.createUpdate("UPDATE tuning_job SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ?")
                .bind(0, owner).execute());
    }

    @Override
    public DeleteResult deleteTuningJob(String name, Set<TuningJobStatus> deletable) {
        return write(h -> {
            String key = ResourceNames.key(name);
            Optional<TuningJob> current = h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?" + dialect.lockingRead())
                    .bind(0, key).map((rs, ctx) -> tuningJob(rs)).findOne();
            if (current.isEmpty()) return DeleteResult.NOT_FOUND;
            if (!deletable.contains(current.get().status())) return DeleteResult.NOT_DELETABLE;
            boolean running = h.createQuery("SELECT 1 FROM training_job WHERE tuning_job_key = ?"
                    + " AND status IN ('InProgress', 'Stopping') LIMIT 1").bind(0, key).mapTo(Integer.class).findOne().isPresent();
            if (running) return DeleteResult.TRAINING_JOBS_RUNNING;
            h.createUpdate("DELETE FROM tag WHERE resource_arn = ?").bind(0, current.get().arn()).execute();
            h.createUpdate("DELETE FROM tuning_job WHERE name_key = ?").bind(0, key).execute();
            return DeleteResult.DELETED;
        });
    }

    @Override
    public Optional<TuningJob> addTrainingJobs(TuningJob changed, List<TrainingJob> jobs, Lease lease) {
        return write(h -> {
            if (!compareAndSet(h, changed, lease)) return Optional.<TuningJob>empty();
            for (TrainingJob j : jobs)
                TrainingJobRows.bind(h.createUpdate("INSERT INTO training_job (" + TrainingJobRows.COLUMNS
                        + ") VALUES (" + TrainingJobRows.VALUES + ")"), j).execute();
            return Optional.of(changed.nextVersion());
        });
    }

    @Override
    public boolean updateTrainingJob(TrainingJob job, List<MetricPoint> newPoints, Lease lease) {
        return write(h -> {
            String key = ResourceNames.key(job.name());
            checkLease(h, ResourceNames.key(job.tuningJobName()), lease);
            int updated = TrainingJobRows.bindLifecycle(h.createUpdate(TrainingJobRows.UPDATE_LIFECYCLE), job).execute();
            if (updated == 0) return false;
            if (!newPoints.isEmpty()) {
                // positions continue the job's series; the subquery saves a round trip per update
                var batch = h.prepareBatch("INSERT INTO metric_point (training_job_key, position, metric_name, value, timestamp)"
                        + " VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM metric_point WHERE training_job_key = ?),"
                        + " ?, ?, ?)");
                for (MetricPoint p : newPoints)
                    batch.bind(0, key).bind(1, key).bind(2, p.name()).bind(3, p.value())
                            .bind(4, p.timestamp().toEpochMilli()).add();
                batch.execute();
            }
            return true;
        });
    }

    @Override
    public Optional<TrainingJob> trainingJob(String name) {
        return read(h -> h.createQuery("SELECT * FROM training_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(name)).map((rs, ctx) -> TrainingJobRows.read(rs)).findOne());
    }

    @Override
    public List<TrainingJob> trainingJobsOf(String tuningJobName) {
        return read(h -> h.createQuery("SELECT * FROM training_job WHERE tuning_job_key = ? ORDER BY ordinal")
                .bind(0, ResourceNames.key(tuningJobName)).map((rs, ctx) -> TrainingJobRows.read(rs)).list());
    }

    @Override
    public Page<TrainingJob> listTrainingJobs(TrainingJobQuery q) {
        KeysetListing<TrainingJob> listing = new KeysetListing<TrainingJob>("training_job")
                .filter(q.tuningJobName(), "tuning_job_key = :tuning", "tuning", v -> ResourceNames.key((String) v))
                .filter(q.nameContains(), "name_key LIKE :contains ESCAPE '\\'", "contains", v -> containing((String) v))
                .filter(q.createdAfter(), "creation_time > :createdAfter", "createdAfter", JdbcStore::millis)
                .filter(q.createdBefore(), "creation_time < :createdBefore", "createdBefore", JdbcStore::millis)
                .filter(q.modifiedAfter(), "last_modified_time > :modifiedAfter", "modifiedAfter", JdbcStore::millis)
                .filter(q.modifiedBefore(), "last_modified_time < :modifiedBefore", "modifiedBefore", JdbcStore::millis)
                .filter(q.status(), "status = :status", "status", v -> ((TrainingJobStatus) v).apiName())
                // sorted by objective, a job without one is not listed (the API's documentation says so)
                .filter(q.sortBy() == TrainingJobQuery.SortBy.OBJECTIVE ? Optional.of(1) : Optional.empty(),
                        "(objective_value IS NOT NULL AND :hasObjective = 1)", "hasObjective", v -> v);
        org.jdbi.v3.core.mapper.RowMapper<TrainingJob> mapper = (rs, ctx) -> TrainingJobRows.read(rs);
        java.util.function.Function<TrainingJob, String> nameKey = j -> ResourceNames.key(j.name());
        // not listed when sorting by objective; kept in the sort expression so that earlier tokens still read
        String missing = q.descending() ? "-1e308" : "1e308";
        return read(h -> switch (q.sortBy()) {
            case NAME -> listing.page(h, "name", "name_key", KeysetListing.SortType.TEXT, q.descending(),
                    q.maxResults(), q.nextToken(), mapper, nameKey, nameKey);
            case STATUS -> listing.page(h, "status", "status", KeysetListing.SortType.TEXT, q.descending(),
                    q.maxResults(), q.nextToken(), mapper, j -> j.status().apiName(), nameKey);
            case CREATION_TIME -> listing.page(h, "creation", "creation_time", KeysetListing.SortType.INTEGER,
                    q.descending(), q.maxResults(), q.nextToken(), mapper,
                    j -> Long.toString(j.creationTime().toEpochMilli()), nameKey);
            case OBJECTIVE -> listing.page(h, "objective" + missing, "COALESCE(objective_value, " + missing + ")",
                    KeysetListing.SortType.REAL, q.descending(), q.maxResults(), q.nextToken(), mapper,
                    j -> j.objectiveValue() == null ? missing : Double.toString(j.objectiveValue()), nameKey);
        });
    }

    @Override
    public List<MetricPoint> metricSeries(String trainingJobName) {
        return read(h -> h.createQuery(
                        "SELECT metric_name, value, timestamp FROM metric_point WHERE training_job_key = ? ORDER BY position")
                .bind(0, ResourceNames.key(trainingJobName))
                .map((rs, ctx) -> new MetricPoint(rs.getString(1), rs.getDouble(2), Instant.ofEpochMilli(rs.getLong(3))))
                .list());
    }

    @Override
    public List<TrainingJob> unfinishedTrainingJobs() {
        return read(h -> h.createQuery(
                        "SELECT * FROM training_job WHERE status IN ('InProgress', 'Stopping') ORDER BY creation_time, name_key")
                .map((rs, ctx) -> TrainingJobRows.read(rs)).list());
    }

    @Override
    public Optional<TrainingJob> requestTrainingJobStop(String name) {
        return write(h -> {
            String key = ResourceNames.key(name);
            h.createUpdate("UPDATE training_job SET stop_requested = 1 WHERE name_key = ? AND status IN ('InProgress', 'Stopping')")
                    .bind(0, key).execute();
            return h.createQuery("SELECT * FROM training_job WHERE name_key = ?").bind(0, key)
                    .map((rs, ctx) -> TrainingJobRows.read(rs)).findOne();
        });
    }

    @Override
    public void recordDecisions(List<JobDecision> decisions, Lease lease) {
        if (decisions.isEmpty()) return;
        write(h -> {
            checkLease(h, ResourceNames.key(decisions.getFirst().tuningJobName()), lease);
            for (JobDecision d : decisions) {
                String key = ResourceNames.key(d.trainingJobName());
                boolean running = h.createQuery("SELECT 1 FROM training_job WHERE name_key = ?"
                        + " AND status IN ('InProgress', 'Stopping')").bind(0, key).mapTo(Integer.class).findOne().isPresent();
                if (!running) continue;
                int stored = h.createUpdate("INSERT INTO job_decision (training_job_key, tuning_job_key, kind, step, detail,"
                                + " decided_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, key).bind(1, ResourceNames.key(d.tuningJobName())).bind(2, d.kind().name())
                        .bind(3, d.step()).bind(4, d.detail()).bind(5, d.decidedAt().toEpochMilli()).execute();
                if (stored == 1 && d.kind().stops())
                    h.createUpdate("UPDATE training_job SET stop_requested = 1 WHERE name_key = ?").bind(0, key).execute();
            }
            return null;
        });
    }

    @Override
    public List<JobDecision> decisions(String tuningJobName) {
        return read(h -> h.createQuery("SELECT t.name, t.tuning_job_name, d.kind, d.step, d.detail, d.decided_at"
                        + " FROM job_decision d JOIN training_job t ON t.name_key = d.training_job_key"
                        + " WHERE d.tuning_job_key = ? ORDER BY d.decided_at, d.id")
                .bind(0, ResourceNames.key(tuningJobName))
                .map((rs, ctx) -> new JobDecision(rs.getString(1), rs.getString(2), JobDecision.Kind.valueOf(rs.getString(3)),
                        rs.getInt(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))))
                .list());
    }

    @Override
    public List<Tag> tags(String resourceArn) {
        return read(h -> h.createQuery(
                        "SELECT tag_key, tag_value FROM tag WHERE resource_arn = ? ORDER BY position")
                .bind(0, resourceArn).map((rs, ctx) -> new Tag(rs.getString(1), rs.getString(2))).list());
    }

    @Override
    public boolean addTags(String resourceArn, List<Tag> tags, int maxTags) {
        return write(h -> {
            dialect.lockTags(h, resourceArn);   // two servers adding tags at once could pass the limit together
            List<String> existing = h.createQuery("SELECT tag_key FROM tag WHERE resource_arn = ?")
                    .bind(0, resourceArn).mapTo(String.class).list();
            long added = tags.stream().map(Tag::key).distinct().filter(k -> !existing.contains(k)).count();
            if (existing.size() + added > maxTags) return false;
            putTags(h, resourceArn, tags);
            return true;
        });
    }

    @Override
    public void deleteTags(String resourceArn, List<String> keys) {
        write(h -> {
            for (String k : keys)
                h.createUpdate("DELETE FROM tag WHERE resource_arn = ? AND tag_key = ?").bind(0, resourceArn)
                        .bind(1, k).execute();
            return null;
        });
    }

    @Override
    public void recordSignOut(String sessionId, Instant expires, Instant now) {
        write(h -> {
            h.createUpdate("DELETE FROM signed_out_session WHERE expires_at < ?").bind(0, now.getEpochSecond()).execute();
            return h.createUpdate("INSERT INTO signed_out_session (session_id, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .bind(0, sessionId).bind(1, expires.getEpochSecond()).execute();
        });
    }

    @Override
    public boolean signedOut(String sessionId, Instant expires) {
        return read(h -> h.createQuery("SELECT 1 FROM signed_out_session WHERE session_id = ? AND expires_at = ?")
                .bind(0, sessionId).bind(1, expires.getEpochSecond()).mapTo(Integer.class).findOne().isPresent());
    }

    @Override
    public void recordFailedSignIn(String client, Instant at, Instant forgetBefore) {
        write(h -> {
            h.createUpdate("DELETE FROM failed_sign_in WHERE failed_at < ?").bind(0, forgetBefore.toEpochMilli()).execute();
            return h.createUpdate("INSERT INTO failed_sign_in (client, failed_at) VALUES (?, ?)")
                    .bind(0, client).bind(1, at.toEpochMilli()).execute();
        });
    }

    @Override
    public List<Instant> failedSignIns(String client, Instant since) {
        return read(h -> h.createQuery("SELECT failed_at FROM failed_sign_in WHERE client = ? AND failed_at >= ? ORDER BY failed_at")
                .bind(0, client).bind(1, since.toEpochMilli()).map((rs, ctx) -> Instant.ofEpochMilli(rs.getLong(1))).list());
    }

    @Override
    public void clearFailedSignIns(String client) {
        write(h -> h.createUpdate("DELETE FROM failed_sign_in WHERE client = ?").bind(0, client).execute());
    }

    private void putTags(Handle h, String arn, List<Tag> tags) {
        if (tags.isEmpty()) return;
        dialect.lockTags(h, arn);
        for (Tag t : tags) {
            h.createUpdate("""
                    INSERT INTO tag (resource_arn, tag_key, tag_value, position)
                    VALUES (:arn, :key, :value, (SELECT COALESCE(MAX(position), 0) + 1 FROM tag WHERE resource_arn = :arn))
                    ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value""")
                    .bind("arn", arn).bind("key", t.key()).bind("value", t.value()).execute();
        }
    }

    private static TuningJob tuningJob(ResultSet rs) throws SQLException {
        long ended = rs.getLong("end_time");
        Instant endTime = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
        return new TuningJob(
                rs.getString("name"), rs.getString("arn"), TuningJobStatus.fromApiName(rs.getString("status")),
                rs.getString("strategy"), Instant.ofEpochMilli(rs.getLong("creation_time")),
                Instant.ofEpochMilli(rs.getLong("last_modified_time")), endTime, rs.getString("failure_reason"),
                rs.getString("spec"), rs.getString("strategy_state"), rs.getString("finishing_reason"), rs.getLong("version"));
    }

    @Override
    public void close() {
        dialect.close();
    }
}
