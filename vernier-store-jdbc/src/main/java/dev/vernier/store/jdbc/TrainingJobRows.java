package dev.vernier.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.StatusTransition;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/** Maps training jobs to and from their table row (lists and maps as JSON text). */
final class TrainingJobRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingJobRows() {}

    static final String COLUMNS = """
            name_key, name, arn, tuning_job_key, tuning_job_name, ordinal, definition_name, status, secondary_status, failure_reason,
            retryable, retry_of, hyper_parameters, tuned_parameters, creation_time, training_start_time,
            training_end_time, last_modified_time, run_handle, objective_value, objective_status, final_metrics,
            model_artifact, transitions, training_seconds, definition""";

    static final String VALUES = """
            :name_key, :name, :arn, :tuning_job_key, :tuning_job_name, :ordinal, :definition_name, :status, :secondary_status,
            :failure_reason, :retryable, :retry_of, :hyper_parameters, :tuned_parameters, :creation_time,
            :training_start_time, :training_end_time, :last_modified_time, :run_handle, :objective_value,
            :objective_status, :final_metrics, :model_artifact, :transitions, :training_seconds, :definition""";

    /** Updates what a job's lifecycle changes, while it runs; the rest of the row is fixed when it is added. */
    static final String UPDATE_LIFECYCLE = """
            UPDATE training_job SET status = :status, secondary_status = :secondary_status, failure_reason = :failure_reason,
                   retryable = :retryable, training_start_time = :training_start_time,
                   training_end_time = :training_end_time, last_modified_time = :last_modified_time,
                   run_handle = :run_handle, objective_value = :objective_value, objective_status = :objective_status,
                   final_metrics = :final_metrics, model_artifact = :model_artifact, transitions = :transitions,
                   training_seconds = :training_seconds
            WHERE name_key = :name_key AND status IN ('InProgress', 'Stopping')""";

    static <S extends SqlStatement<S>> S bindLifecycle(S statement, TrainingJob j) {
        return statement.bind("name_key", key(j.name())).bind("status", j.status().apiName())
                .bind("secondary_status", j.secondaryStatus()).bind("failure_reason", j.failureReason())
                .bind("retryable", j.retryable() ? 1 : 0)
                .bind("training_start_time", millis(j.trainingStartTime()))
                .bind("training_end_time", millis(j.trainingEndTime()))
                .bind("last_modified_time", millis(j.lastModifiedTime())).bind("run_handle", j.runHandle() == null ? null : j.runHandle().value())
                .bind("objective_value", j.objectiveValue()).bind("objective_status", j.objectiveStatus().apiName())
                .bind("final_metrics", writeMetrics(j.finalMetrics())).bind("model_artifact", j.modelArtifact())
                .bind("transitions", writeTransitions(j.transitions())).bind("training_seconds", j.trainingSeconds());
    }

    static <S extends SqlStatement<S>> S bind(S statement, TrainingJob j) {
        return statement.bind("name_key", key(j.name())).bind("name", j.name()).bind("arn", j.arn())
                .bind("tuning_job_key", key(j.tuningJobName())).bind("tuning_job_name", j.tuningJobName())
                .bind("ordinal", j.ordinal())
                .bind("definition_name", j.definitionName()).bind("status", j.status().apiName())
                .bind("secondary_status", j.secondaryStatus()).bind("failure_reason", j.failureReason())
                .bind("retryable", j.retryable() ? 1 : 0).bind("retry_of", j.retryOf())
                .bind("hyper_parameters", write(j.hyperParameters()))
                .bind("tuned_parameters", write(j.tunedHyperParameters()))
                .bind("creation_time", millis(j.creationTime())).bind("training_start_time", millis(j.trainingStartTime()))
                .bind("training_end_time", millis(j.trainingEndTime()))
                .bind("last_modified_time", millis(j.lastModifiedTime())).bind("run_handle", j.runHandle() == null ? null : j.runHandle().value())
                .bind("objective_value", j.objectiveValue()).bind("objective_status", j.objectiveStatus().apiName())
                .bind("final_metrics", writeMetrics(j.finalMetrics())).bind("model_artifact", j.modelArtifact())
                .bind("transitions", writeTransitions(j.transitions())).bind("training_seconds", j.trainingSeconds())
                .bind("definition", j.definition());
    }

    static TrainingJob read(ResultSet rs) throws SQLException {
        double objective = rs.getDouble("objective_value");
        Double objectiveValue = rs.wasNull() ? null : objective;
        long seconds = rs.getLong("training_seconds");
        Long trainingSeconds = rs.wasNull() ? null : seconds;
        return new TrainingJob(rs.getString("name"), rs.getString("arn"), tuningName(rs),
                rs.getInt("ordinal"), rs.getString("definition_name"),
                TrainingJobStatus.fromApiName(rs.getString("status")), rs.getString("secondary_status"),
                rs.getString("failure_reason"), rs.getInt("retryable") == 1, rs.getString("retry_of"),
                readMap(rs.getString("hyper_parameters")), readMap(rs.getString("tuned_parameters")),
                instant(rs, "creation_time"), instant(rs, "training_start_time"), instant(rs, "training_end_time"),
                instant(rs, "last_modified_time"), handle(rs.getString("run_handle")), objectiveValue,
                ObjectiveStatus.fromApiName(rs.getString("objective_status")), readMetrics(rs.getString("final_metrics")),
                rs.getString("model_artifact"), readTransitions(rs.getString("transitions")), trainingSeconds,
                rs.getString("definition"), rs.getInt("stop_requested") == 1);
    }

    private static String tuningName(ResultSet rs) throws SQLException {
        return rs.getString("tuning_job_name");
    }

    static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String write(Map<String, String> map) {
        return generate(g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : map.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
        });
    }

    private static Map<String, String> readMap(String json) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        parse(json, p -> {
            expect(p.nextToken(), JsonToken.START_OBJECT, json);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                out.put(key, p.getValueAsString());
            }
        });
        return out;
    }

    private static String writeMetrics(List<MetricValue> metrics) {
        return generate(g -> {
            g.writeStartArray();
            for (MetricValue m : metrics) {
                g.writeStartObject();
                g.writeStringField("n", m.name());
                g.writeNumberField("v", m.value());
                g.writeNumberField("t", m.timestamp().toEpochMilli());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static List<MetricValue> readMetrics(String json) {
        List<MetricValue> out = new ArrayList<>();
        parse(json, p -> {
            expect(p.nextToken(), JsonToken.START_ARRAY, json);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                double value = 0;
                long timestamp = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "n" -> name = p.getValueAsString();
                        case "v" -> value = p.getValueAsDouble();
                        case "t" -> timestamp = p.getValueAsLong();
                        default -> p.skipChildren();
                    }
                }
                out.add(new MetricValue(name, value, Instant.ofEpochMilli(timestamp)));
            }
        });
        return out;
    }

    private static String writeTransitions(List<StatusTransition> transitions) {
        return generate(g -> {
            g.writeStartArray();
            for (StatusTransition t : transitions) {
                g.writeStartObject();
                g.writeStringField("s", t.status());
                g.writeNumberField("b", t.start().toEpochMilli());
                if (t.end() != null) g.writeNumberField("e", t.end().toEpochMilli());
                if (t.message() != null) g.writeStringField("m", t.message());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private interface Generation {
        void write(JsonGenerator g) throws java.io.IOException;
    }

    /** Writes JSON with the streaming generator: these columns are written on every update, a tree costs more. */
    private static String generate(Generation body) {
        java.io.StringWriter out = new java.io.StringWriter(128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<StatusTransition> readTransitions(String json) {
        List<StatusTransition> out = new ArrayList<>();
        parse(json, p -> {
            expect(p.nextToken(), JsonToken.START_ARRAY, json);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String status = null, message = null;
                Instant start = null, end = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "s" -> status = p.getValueAsString();
                        case "b" -> start = Instant.ofEpochMilli(p.getValueAsLong());
                        case "e" -> end = Instant.ofEpochMilli(p.getValueAsLong());
                        case "m" -> message = p.getValueAsString();
                        default -> p.skipChildren();
                    }
                }
                out.add(new StatusTransition(status, start, end, message));
            }
        });
        return out;
    }

    private interface Parsing {
        void read(JsonParser p) throws java.io.IOException;
    }

    /** Reads JSON with the streaming parser: the controller reads these columns on every pass. */
    private static void parse(String json, Parsing body) {
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            body.read(p);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(JsonToken token, JsonToken expected, String json) throws java.io.IOException {
        if (token != expected) throw new com.fasterxml.jackson.core.JsonParseException(null, "not a stored " + expected + ": " + json);
    }

    private static RunHandle handle(String stored) {
        return stored == null ? null : new RunHandle(stored);
    }
}
