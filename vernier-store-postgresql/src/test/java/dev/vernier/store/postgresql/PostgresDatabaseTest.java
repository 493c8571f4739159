package dev.vernier.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {
    @Test
    void aFullUrlGivesHostPortDatabaseUserPasswordSchemaAndDriverParameters() {
        PostgresDatabase db = PostgresDatabase.parse("postgresql://vernier:s%40cret@db.example:6543/tuning?currentSchema=ha&sslmode=require",
                Optional.of("ignored"), Map.of("PGPASSWORD", "ignored too"));
        assertThat(db.host()).isEqualTo("db.example");
        assertThat(db.port()).isEqualTo(6543);
        assertThat(db.database()).isEqualTo("tuning");
        assertThat(db.user()).isEqualTo("vernier");
        assertThat(db.password()).contains("s@cret");
        assertThat(db.schema()).contains("ha");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/tuning?sslmode=require&currentSchema=ha");
        assertThat(db.toString()).doesNotContain("cret");
    }

    @Test
    void whatTheUrlLeavesOutComesFromTheSettingThenTheLibpqEnvironment() {
        PostgresDatabase db = PostgresDatabase.parse("postgresql://127.0.0.1/test", Optional.empty(),
                Map.of("PGUSER", "alice", "PGPASSWORD", "pw", "PGPORT", "5433"));
        assertThat(db.user()).isEqualTo("alice");
        assertThat(db.password()).contains("pw");
        assertThat(db.port()).isEqualTo(5433);
        assertThat(PostgresDatabase.parse("postgres://bob@h/d", Optional.of("setting"), Map.of("PGPASSWORD", "env"))
                .password()).contains("setting");
        assertThat(PostgresDatabase.parse("postgres://bob@h/d", Optional.empty(), Map.of()).port()).isEqualTo(5432);
    }

    @Test
    void badUrlsAreRefusedNamingTheProblemWithoutThePassword() {
        assertThatThrownBy(() -> PostgresDatabase.parse("postgresql://u:topsecret@h", Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one database").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PostgresDatabase.parse("postgresql://h/d?currentSchema=Bad-Name", Optional.empty(), Map.of()))
                .hasMessageContaining("currentSchema");
        assertThatThrownBy(() -> PostgresDatabase.parse("postgresql://h/d?password=x", Optional.empty(), Map.of()))
                .hasMessageContaining("PGPASSWORD");
        assertThatThrownBy(() -> PostgresDatabase.parse("mysql://h/d", Optional.empty(), Map.of()))
                .hasMessageContaining("postgresql://");
    }
}
