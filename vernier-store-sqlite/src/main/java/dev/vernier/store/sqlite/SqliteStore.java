package dev.vernier.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.StopDecision;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.Tag;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode, so readers never wait for the writer. SQLite
 * allows one writer at a time; writes are serialised here by a lock rather than by retrying on
 * SQLITE_BUSY, which keeps concurrent requests fast and free of "database is locked" errors.
 * One server process per database file.
 */
public final class SqliteStore implements Store {
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final ReentrantLock writeLock = new ReentrantLock();

    private SqliteStore(HikariDataSource pool) {
        this.pool = pool;
        // Statements are plain SQL with bound parameters: without a template engine JDBI does not render
        // (and lex) every statement looking for <attributes>, a step that showed in the controller's profile.
        this.jdbi = Jdbi.create(pool).setTemplateEngine(TemplateEngine.NOP);
    }

    /** Opens (creating if needed) the database and brings its schema up to date. */
    public static SqliteStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create directory for " + file + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure().dataSource(sqlite).locations("classpath:db/migration").load().migrate();
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("vernier-sqlite");
        return new SqliteStore(new HikariDataSource(hikari));
    }

    private <T> T write(Supplier<T> work) {
        writeLock.lock();
        try {
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean createTuningJob(TuningJob job, List<Tag> tags) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(job.name());
            boolean exists = h.createQuery("SELECT 1 FROM tuning_job WHERE name_key = ?").bind(0, key)
                    .mapTo(Integer.class).findOne().isPresent();
            if (exists) return false;
            h.createUpdate("""
                    INSERT INTO tuning_job (name_key, name, arn, status, strategy, creation_time, last_modified_time,
                                            end_time, failure_reason, spec)
                    VALUES (:key, :name, :arn, :status, :strategy, :created, :modified, :ended, :reason, :spec)""")
                    .bind("key", key).bind("name", job.name()).bind("arn", job.arn())
                    .bind("status", job.status().apiName()).bind("strategy", job.strategy())
                    .bind("created", job.creationTime().toEpochMilli())
                    .bind("modified", job.lastModifiedTime().toEpochMilli())
                    .bind("ended", job.endTime() == null ? null : job.endTime().toEpochMilli())
                    .bind("reason", job.failureReason()).bind("spec", job.spec())
                    .execute();
            putTags(h, job.arn(), tags);
            return true;
        }));
    }

    @Override
    public Optional<TuningJob> tuningJob(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(name)).map((rs, ctx) -> tuningJob(rs)).findOne());
    }

    @Override
    public Page<TuningJob> listTuningJobs(TuningJobQuery q) {
        KeysetListing<TuningJob> listing = new KeysetListing<TuningJob>("tuning_job")
                .filter(q.nameContains(), "instr(name_key, :contains) > 0", "contains", v -> ResourceNames.key((String) v))
                .filter(q.createdAfter(), "creation_time > :createdAfter", "createdAfter", SqliteStore::millis)
                .filter(q.createdBefore(), "creation_time < :createdBefore", "createdBefore", SqliteStore::millis)
                .filter(q.modifiedAfter(), "last_modified_time > :modifiedAfter", "modifiedAfter", SqliteStore::millis)
                .filter(q.modifiedBefore(), "last_modified_time < :modifiedBefore", "modifiedBefore", SqliteStore::millis)
                .filter(q.status(), "status = :status", "status", v -> ((TuningJobStatus) v).apiName());
        return jdbi.withHandle(h -> switch (q.sortBy()) {
            case NAME -> listing.page(h, "name", "name_key", KeysetListing.SortType.TEXT, q.descending(), q.maxResults(),
                    q.nextToken(), (rs, ctx) -> tuningJob(rs), j -> ResourceNames.key(j.name()), j -> ResourceNames.key(j.name()));
            case STATUS -> listing.page(h, "status", "status", KeysetListing.SortType.TEXT, q.descending(), q.maxResults(),
                    q.nextToken(), (rs, ctx) -> tuningJob(rs), j -> j.status().apiName(), j -> ResourceNames.key(j.name()));
            case CREATION_TIME -> listing.page(h, "creation", "creation_time", KeysetListing.SortType.INTEGER, q.descending(),
                    q.maxResults(), q.nextToken(), (rs, ctx) -> tuningJob(rs),
                    j -> Long.toString(j.creationTime().toEpochMilli()), j -> ResourceNames.key(j.name()));
        });
    }

    private static Object millis(Object instant) {
        return ((Instant) instant).toEpochMilli();
    }

    @Override
    public List<TuningJob> tuningJobsIn(Set<TuningJobStatus> statuses) {
        if (statuses.isEmpty()) return List.of();
        // placeholders written out: there is no template engine for a <statuses> list (see the constructor)
        List<String> names = statuses.stream().map(TuningJobStatus::apiName).toList();
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT * FROM tuning_job WHERE status IN ("
                    + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ") ORDER BY creation_time, name_key");
            for (int i = 0; i < names.size(); i++) query.bind(i, names.get(i));
            return query.map((rs, ctx) -> tuningJob(rs)).list();
        });
    }

    @Override
    public Optional<TuningJob> transitionTuningJob(String name, Set<TuningJobStatus> from, TuningJobStatus to,
                                                         Instant at, String failureReason) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(name);
            Optional<TuningJob> current = h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?")
                    .bind(0, key).map((rs, ctx) -> tuningJob(rs)).findOne();
            if (current.isEmpty() || !from.contains(current.get().status())) return Optional.empty();
            h.createUpdate("""
                    UPDATE tuning_job SET status = :status, last_modified_time = :at,
                           end_time = COALESCE(:ended, end_time), failure_reason = COALESCE(:reason, failure_reason)
                    WHERE name_key = :key""")
                    .bind("status", to.apiName()).bind("at", at.toEpochMilli())
                    .bind("ended", to.isTerminal() ? at.toEpochMilli() : null)
                    .bind("reason", failureReason).bind("key", key).execute();
            return h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?").bind(0, key)
                    .map((rs, ctx) -> tuningJob(rs)).findOne();
        }));
    }

    @Override
    public DeleteResult deleteTuningJob(String name, Set<TuningJobStatus> deletable) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(name);
            Optional<TuningJob> current = h.createQuery("SELECT * FROM tuning_job WHERE name_key = ?")
                    .bind(0, key).map((rs, ctx) -> tuningJob(rs)).findOne();
            if (current.isEmpty()) return DeleteResult.NOT_FOUND;
            if (!deletable.contains(current.get().status())) return DeleteResult.NOT_DELETABLE;
            h.createUpdate("DELETE FROM tag WHERE resource_arn = ?").bind(0, current.get().arn()).execute();
            h.createUpdate("DELETE FROM tuning_job WHERE name_key = ?").bind(0, key).execute();
            return DeleteResult.DELETED;
        }));
    }

    @Override
    public void addTrainingJobs(String tuningJobName, List<TrainingJob> jobs, String strategyState) {
        write(() -> jdbi.inTransaction(h -> {
            for (TrainingJob j : jobs)
                TrainingJobRows.bind(h.createUpdate("INSERT INTO training_job (" + TrainingJobRows.COLUMNS
                        + ") VALUES (" + TrainingJobRows.VALUES + ")"), j).execute();
            h.createUpdate("UPDATE tuning_job SET strategy_state = ? WHERE name_key = ?").bind(0, strategyState)
                    .bind(1, ResourceNames.key(tuningJobName)).execute();
            return null;
        }));
    }

    @Override
    public boolean updateTrainingJob(TrainingJob job, List<MetricPoint> newPoints) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(job.name());
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
        }));
    }

    @Override
    public Optional<TrainingJob> trainingJob(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM training_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(name)).map((rs, ctx) -> TrainingJobRows.read(rs)).findOne());
    }

    @Override
    public List<TrainingJob> trainingJobsOf(String tuningJobName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM training_job WHERE tuning_job_key = ? ORDER BY ordinal")
                .bind(0, ResourceNames.key(tuningJobName)).map((rs, ctx) -> TrainingJobRows.read(rs)).list());
    }

    @Override
    public Page<TrainingJob> listTrainingJobs(TrainingJobQuery q) {
        KeysetListing<TrainingJob> listing = new KeysetListing<TrainingJob>("training_job")
                .filter(q.tuningJobName(), "tuning_job_key = :tuning", "tuning", v -> ResourceNames.key((String) v))
                .filter(q.nameContains(), "instr(name_key, :contains) > 0", "contains", v -> ResourceNames.key((String) v))
                .filter(q.createdAfter(), "creation_time > :createdAfter", "createdAfter", SqliteStore::millis)
                .filter(q.createdBefore(), "creation_time < :createdBefore", "createdBefore", SqliteStore::millis)
                .filter(q.modifiedAfter(), "last_modified_time > :modifiedAfter", "modifiedAfter", SqliteStore::millis)
                .filter(q.modifiedBefore(), "last_modified_time < :modifiedBefore", "modifiedBefore", SqliteStore::millis)
                .filter(q.status(), "status = :status", "status", v -> ((TrainingJobStatus) v).apiName());
        org.jdbi.v3.core.mapper.RowMapper<TrainingJob> mapper = (rs, ctx) -> TrainingJobRows.read(rs);
        java.util.function.Function<TrainingJob, String> nameKey = j -> ResourceNames.key(j.name());
        // jobs without an objective sort last in either order
        String missing = q.descending() ? "-1e308" : "1e308";
        return jdbi.withHandle(h -> switch (q.sortBy()) {
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
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT metric_name, value, timestamp FROM metric_point WHERE training_job_key = ? ORDER BY position")
                .bind(0, ResourceNames.key(trainingJobName))
                .map((rs, ctx) -> new MetricPoint(rs.getString(1), rs.getDouble(2), Instant.ofEpochMilli(rs.getLong(3))))
                .list());
    }

    @Override
    public Optional<String> strategyState(String tuningJobName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT strategy_state FROM tuning_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(tuningJobName)).mapTo(String.class).findOne());
    }

    @Override
    public List<TrainingJob> unfinishedTrainingJobs() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM training_job WHERE status IN ('InProgress', 'Stopping') ORDER BY creation_time, name_key")
                .map((rs, ctx) -> TrainingJobRows.read(rs)).list());
    }

    @Override
    public Optional<TrainingJob> requestTrainingJobStop(String name) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(name);
            h.createUpdate("UPDATE training_job SET stop_requested = 1 WHERE name_key = ? AND status IN ('InProgress', 'Stopping')")
                    .bind(0, key).execute();
            return h.createQuery("SELECT * FROM training_job WHERE name_key = ?").bind(0, key)
                    .map((rs, ctx) -> TrainingJobRows.read(rs)).findOne();
        }));
    }

    @Override
    public Optional<String> markFinishing(String tuningJobName, String reason) {
        return write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(tuningJobName);
            h.createUpdate("UPDATE tuning_job SET finishing_reason = ? WHERE name_key = ? AND status = 'InProgress'"
                    + " AND finishing_reason IS NULL").bind(0, reason).bind(1, key).execute();
            return h.createQuery("SELECT finishing_reason FROM tuning_job WHERE name_key = ? AND status = 'InProgress'")
                    .bind(0, key).mapTo(String.class).findOne();
        }));
    }

    @Override
    public Optional<String> finishingReason(String tuningJobName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT finishing_reason FROM tuning_job WHERE name_key = ?")
                .bind(0, ResourceNames.key(tuningJobName)).mapTo(String.class).findOne());
    }

    @Override
    public void recordStopDecision(StopDecision d) {
        write(() -> jdbi.inTransaction(h -> {
            String key = ResourceNames.key(d.trainingJobName());
            int running = h.createUpdate("UPDATE training_job SET stop_requested = 1 WHERE name_key = ?"
                    + " AND status IN ('InProgress', 'Stopping')").bind(0, key).execute();
            if (running == 0) return null;
            h.createUpdate("INSERT INTO stop_decision (training_job_key, tuning_job_key, cause, step, detail, decided_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (training_job_key) DO NOTHING")
                    .bind(0, key).bind(1, ResourceNames.key(d.tuningJobName())).bind(2, d.cause().name())
                    .bind(3, d.step()).bind(4, d.detail()).bind(5, d.decidedAt().toEpochMilli()).execute();
            return null;
        }));
    }

    @Override
    public java.util.Map<String, StopDecision> stopDecisions(String tuningJobName) {
        java.util.Map<String, StopDecision> out = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT t.name, t.tuning_job_name, d.cause, d.step, d.detail, d.decided_at"
                        + " FROM stop_decision d JOIN training_job t ON t.name_key = d.training_job_key"
                        + " WHERE d.tuning_job_key = ? ORDER BY t.ordinal")
                .bind(0, ResourceNames.key(tuningJobName))
                .map((rs, ctx) -> new StopDecision(rs.getString(1), rs.getString(2), StopDecision.Cause.valueOf(rs.getString(3)),
                        rs.getInt(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))))
                .forEach(d -> out.put(d.trainingJobName(), d)));
        return out;
    }

    @Override
    public void recordPromotion(String trainingJobName, String tuningJobName, int step, Instant at) {
        write(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO rung_promotion (training_job_key, tuning_job_key, step,"
                        + " decided_at) VALUES (?, ?, ?, ?) ON CONFLICT (training_job_key, step) DO NOTHING")
                .bind(0, ResourceNames.key(trainingJobName)).bind(1, ResourceNames.key(tuningJobName)).bind(2, step)
                .bind(3, at.toEpochMilli()).execute()));
    }

    @Override
    public java.util.Map<String, Integer> promotions(String tuningJobName) {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT t.name, MAX(p.step) FROM rung_promotion p"
                        + " JOIN training_job t ON t.name_key = p.training_job_key WHERE p.tuning_job_key = ? GROUP BY t.name")
                .bind(0, ResourceNames.key(tuningJobName))
                .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public List<Tag> tags(String resourceArn) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT tag_key, tag_value FROM tag WHERE resource_arn = ? ORDER BY position")
                .bind(0, resourceArn).map((rs, ctx) -> new Tag(rs.getString(1), rs.getString(2))).list());
    }

    @Override
    public boolean addTags(String resourceArn, List<Tag> tags, int maxTags) {
        return write(() -> jdbi.inTransaction(h -> {
            List<String> existing = h.createQuery("SELECT tag_key FROM tag WHERE resource_arn = ?")
                    .bind(0, resourceArn).mapTo(String.class).list();
            long added = tags.stream().map(Tag::key).distinct().filter(k -> !existing.contains(k)).count();
            if (existing.size() + added > maxTags) return false;
            putTags(h, resourceArn, tags);
            return true;
        }));
    }

    @Override
    public void deleteTags(String resourceArn, List<String> keys) {
        write(() -> jdbi.inTransaction(h -> {
            for (String k : keys)
                h.createUpdate("DELETE FROM tag WHERE resource_arn = ? AND tag_key = ?").bind(0, resourceArn)
                        .bind(1, k).execute();
            return null;
        }));
    }

    private static void putTags(Handle h, String arn, List<Tag> tags) {
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
                rs.getString("spec"));
    }

    @Override
    public void close() {
        pool.close();
    }
}
