package dev.vernier.store.sqlite;

import dev.vernier.core.store.Store;
import dev.vernier.testkit.store.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.open(dir.resolve("vernier.db"));
    }
}
