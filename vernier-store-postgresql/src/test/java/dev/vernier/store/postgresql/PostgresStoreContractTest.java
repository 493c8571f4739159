package dev.vernier.store.postgresql;

import dev.vernier.core.store.Store;
import dev.vernier.testkit.store.StoreContract;
import dev.vernier.testkit.store.TestPostgres;
import java.util.Map;
import java.util.Optional;

/** The store contract on a real PostgreSQL server, each test in a fresh schema of its own. */
class PostgresStoreContractTest extends StoreContract {
    @Override
    protected Store openEmptyStore() {
        TestPostgres.requireAvailable();
        return PostgresStore.open(PostgresDatabase.parse(TestPostgres.url(TestPostgres.newSchema("contract")),
                Optional.empty(), Map.of()));
    }
}
