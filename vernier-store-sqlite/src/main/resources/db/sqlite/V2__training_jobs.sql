-- Training jobs launched by tuning jobs. A finished row is never rewritten; a retry is a new row.
CREATE TABLE training_job (
    name_key            TEXT    NOT NULL PRIMARY KEY,
    name                TEXT    NOT NULL,
    arn                 TEXT    NOT NULL,
    tuning_job_key      TEXT    NOT NULL,
    tuning_job_name     TEXT    NOT NULL,             -- kept: training jobs outlive a deleted tuning job
    ordinal             INTEGER NOT NULL,             -- the NNN of <tuning>-<NNN>-<hex>, from 1
    definition_name     TEXT,
    status              TEXT    NOT NULL,
    secondary_status    TEXT    NOT NULL,
    failure_reason      TEXT,
    retryable           INTEGER NOT NULL DEFAULT 0,   -- a Failed job that failed for an internal reason
    retry_of            TEXT,                         -- name_key of the job this one retries
    hyper_parameters    TEXT    NOT NULL,             -- JSON object, all values strings
    tuned_parameters    TEXT    NOT NULL,             -- JSON object: the strategy's part of hyper_parameters
    creation_time       INTEGER NOT NULL,
    training_start_time INTEGER,
    training_end_time   INTEGER,
    last_modified_time  INTEGER NOT NULL,
    run_handle          TEXT,                         -- the backend's handle, null until launched
    objective_value     REAL,
    objective_status    TEXT    NOT NULL,
    final_metrics       TEXT    NOT NULL DEFAULT '[]', -- JSON [{MetricName, Value, Timestamp}]
    model_artifact      TEXT,
    transitions         TEXT    NOT NULL DEFAULT '[]', -- JSON SecondaryStatusTransitions
    training_seconds    INTEGER,
    definition          TEXT    NOT NULL,             -- the definition it ran with (JSON), for DescribeTrainingJob
    stop_requested      INTEGER NOT NULL DEFAULT 0    -- StopTrainingJob asked for a stop; only the API sets it
);
CREATE UNIQUE INDEX training_job_by_tuning ON training_job (tuning_job_key, ordinal);
CREATE INDEX training_job_by_status ON training_job (status, name_key);
CREATE INDEX training_job_by_creation ON training_job (creation_time, name_key);

-- Every metric data point, append-only.
CREATE TABLE metric_point (
    training_job_key TEXT    NOT NULL,
    position         INTEGER NOT NULL,
    metric_name      TEXT    NOT NULL,
    value            REAL    NOT NULL,
    timestamp        INTEGER NOT NULL,
    PRIMARY KEY (training_job_key, position)
);

-- What a strategy handed back to remember (e.g. Grid's position, Hyperband's brackets).
ALTER TABLE tuning_job ADD COLUMN strategy_state TEXT;
