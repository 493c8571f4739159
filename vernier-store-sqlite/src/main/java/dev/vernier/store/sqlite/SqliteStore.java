package dev.vernier.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vernier.store.jdbc.Dialect;
import dev.vernier.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode, so readers never wait for the writer.
 *
 * <p>Correctness does not rest on this process: tuning-job rows are written by compare-and-set on
 * their version and the controller's writes are fenced by its lease, in SQL, as a shared database
 * needs. SQLite itself allows one writer at a time, so writes go through one connection whose
 * transactions begin IMMEDIATE (taking the write lock up front: a deferred transaction that reads
 * and then writes can fail with SQLITE_BUSY without waiting); waiting for that connection is fair
 * and does not poll the file lock. With one writer, no row or tag lock is needed. One server
 * process per database file.
 */
public final class SqliteStore extends JdbcStore {
    private SqliteStore(HikariDataSource readPool, HikariDataSource writePool) {
        super(new SqliteDialect(readPool, writePool));
    }

    /** Reads through a pool of connections, writes through one. */
    private record SqliteDialect(HikariDataSource readPool, HikariDataSource writePool, Jdbi reads, Jdbi writes)
            implements Dialect {
        SqliteDialect(HikariDataSource readPool, HikariDataSource writePool) {
            this(readPool, writePool, Dialect.jdbi(readPool), Dialect.jdbi(writePool));
        }

        @Override
        public <T> T read(HandleCallback<T, RuntimeException> work) {
            return reads.withHandle(work);
        }

        @Override
        public <T> T write(HandleCallback<T, RuntimeException> work) {
            return writes.inTransaction(work);
        }

        @Override
        public String lockingRead() {
            return "";
        }

        @Override
        public void lockTags(Handle h, String resourceArn) {
            // one writer: tag writes are serial already
        }

        @Override
        public void close() {
            readPool.close();
            writePool.close();
        }
    }

    /** Opens (creating if needed) the database and brings its schema up to date. */
    public static SqliteStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) Files.createDirectories(parent, privateTo("rwx------"));
            makePrivate(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create directory for " + file + ": " + e.getMessage(), e);
        }
        SQLiteDataSource readSource = dataSource(file, SQLiteConfig.TransactionMode.DEFERRED);
        SQLiteDataSource writeSource = dataSource(file, SQLiteConfig.TransactionMode.IMMEDIATE);
        Flyway.configure().dataSource(writeSource).locations(MIGRATIONS).load().migrate();
        voidEarlierLeases(writeSource);
        return new SqliteStore(pool(readSource, "vernier-sqlite-read", 4), pool(writeSource, "vernier-sqlite-write", 1));
    }

    /**
     * The database and its companions are readable by their owner only (0600): the file is created so before
     * SQLite opens it (SQLite gives its -wal and -shm files the database's own permissions), and an existing one
     * written by an earlier version with wider permissions is narrowed.
     */
    private static void makePrivate(Path file) throws java.io.IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, privateTo("rw-------"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created meanwhile: narrowed below
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isRegularFile(f) && !Files.getPosixFilePermissions(f).equals(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static java.nio.file.attribute.FileAttribute<?> privateTo(String permissions) {
        return java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
    }

    /**
     * A SQLite file is used by one server at a time, so the leases found when it is opened belong to
     * an earlier process that ended (perhaps killed): they are voided so that this server takes its
     * jobs over at once instead of waiting for them to expire. Were another server using the file after
     * all, fencing would still refuse its writes once this one takes a job.
     */
    private static void voidEarlierLeases(SQLiteDataSource source) {
        Jdbi.create(source).useHandle(h -> h.execute("UPDATE tuning_job SET lease_owner = NULL, lease_expires_at = NULL"
                + " WHERE lease_owner IS NOT NULL"));
    }

    /** The SQLite migration set (each SQL dialect has its own). */
    static final String MIGRATIONS = "classpath:db/sqlite";

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(mode);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return sqlite;
    }

    private static HikariDataSource pool(SQLiteDataSource source, String name, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setMaximumPoolSize(size);
        hikari.setPoolName(name);
        return new HikariDataSource(hikari);
    }

}
