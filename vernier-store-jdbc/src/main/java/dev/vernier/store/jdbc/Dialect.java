package dev.vernier.store.jdbc;

import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * What differs between the SQL databases a {@link JdbcStore} runs on: how statements reach the
 * database (pools, transactions, retries, errors), and the locks a database with concurrent
 * writers needs where one with a single writer needs none.
 */
public interface Dialect extends AutoCloseable {
    /** Runs statements that only read. */
    <T> T read(HandleCallback<T, RuntimeException> work);

    /** Runs statements in one transaction. */
    <T> T write(HandleCallback<T, RuntimeException> work);

    /** The clause that ends a SELECT to lock the rows it reads until the transaction ends ("" where writes are serial). */
    String lockingRead();

    /** Serializes the tag writes of one resource until the transaction ends (nothing where writes are serial). */
    void lockTags(Handle h, String resourceArn);

    /**
     * Jdbi over a data source, for plain SQL with bound parameters: without a template engine Jdbi does
     * not render (and lex) every statement looking for {@code <attributes>}, a step that showed in the
     * controller's profile.
     */
    static Jdbi jdbi(DataSource source) {
        return Jdbi.create(source).setTemplateEngine(TemplateEngine.NOP);
    }

    /** Closes the connections. */
    @Override
    void close();
}
