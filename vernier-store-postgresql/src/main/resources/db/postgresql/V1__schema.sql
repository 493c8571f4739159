-- The PostgreSQL schema: the same tables and columns as the SQLite store after its V4, in one step.
-- Times are epoch milliseconds (BIGINT), as in SQLite, so that both stores read and write the same values.
-- Text that is sorted or compared in listings uses the "C" collation: byte order, as SQLite sorts,
-- whatever the database's default collation is.

-- Tuning jobs: the columns that are filtered, sorted or changed, plus the canonical Create request
-- (without Tags) as JSON, which Describe echoes member for member.
CREATE TABLE tuning_job (
    name_key           TEXT COLLATE "C" NOT NULL PRIMARY KEY,  -- lower-cased name: unique regardless of case
    name               TEXT    NOT NULL,
    arn                TEXT    NOT NULL UNIQUE,
    status             TEXT COLLATE "C" NOT NULL,
    strategy           TEXT    NOT NULL,
    creation_time      BIGINT  NOT NULL,
    last_modified_time BIGINT  NOT NULL,
    end_time           BIGINT,
    failure_reason     TEXT,
    spec               TEXT    NOT NULL,
    strategy_state     TEXT,
    finishing_reason   TEXT,
    -- compare-and-set: every write bumps the version and succeeds only on the version it read
    version            BIGINT  NOT NULL DEFAULT 0,
    -- ownership: the server that drives the job, until when, and a fence that grows with each new owner
    lease_owner        TEXT,
    lease_expires_at   BIGINT,
    lease_fence        BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX tuning_job_by_creation ON tuning_job (creation_time, name_key);
CREATE INDEX tuning_job_by_status ON tuning_job (status, name_key);
CREATE INDEX tuning_job_by_lease_owner ON tuning_job (lease_owner);

-- Tags of any resource, in the order they were first added.
CREATE TABLE tag (
    resource_arn TEXT    NOT NULL,
    tag_key      TEXT    NOT NULL,
    tag_value    TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);

-- Training jobs launched by tuning jobs. A finished row is never rewritten; a retry is a new row.
CREATE TABLE training_job (
    name_key            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name                TEXT    NOT NULL,
    arn                 TEXT    NOT NULL,
    tuning_job_key      TEXT COLLATE "C" NOT NULL,
    tuning_job_name     TEXT    NOT NULL,             -- kept: training jobs outlive a deleted tuning job
    ordinal             INTEGER NOT NULL,             -- the NNN of <tuning>-<NNN>-<hex>, from 1
    definition_name     TEXT,
    status              TEXT COLLATE "C" NOT NULL,
    secondary_status    TEXT    NOT NULL,
    failure_reason      TEXT,
    retryable           INTEGER NOT NULL DEFAULT 0,   -- a Failed job that failed for an internal reason
    retry_of            TEXT,                         -- name_key of the job this one retries
    hyper_parameters    TEXT    NOT NULL,             -- JSON object, all values strings
    tuned_parameters    TEXT    NOT NULL,             -- JSON object: the strategy's part of hyper_parameters
    creation_time       BIGINT  NOT NULL,
    training_start_time BIGINT,
    training_end_time   BIGINT,
    last_modified_time  BIGINT  NOT NULL,
    run_handle          TEXT,                         -- the backend's handle, null until launched
    objective_value     DOUBLE PRECISION,
    objective_status    TEXT    NOT NULL,
    final_metrics       TEXT    NOT NULL DEFAULT '[]', -- JSON [{n, v, t}]
    model_artifact      TEXT,
    transitions         TEXT    NOT NULL DEFAULT '[]', -- JSON SecondaryStatusTransitions
    training_seconds    BIGINT,
    definition          TEXT    NOT NULL,             -- the definition it ran with (JSON), for DescribeTrainingJob
    stop_requested      INTEGER NOT NULL DEFAULT 0    -- a stop was asked (StopTrainingJob or a decision)
);
CREATE UNIQUE INDEX training_job_by_tuning ON training_job (tuning_job_key, ordinal);
CREATE INDEX training_job_by_status ON training_job (status, name_key);
CREATE INDEX training_job_by_creation ON training_job (creation_time, name_key);

-- Every metric data point, append-only.
CREATE TABLE metric_point (
    training_job_key TEXT    NOT NULL,
    position         INTEGER NOT NULL,
    metric_name      TEXT    NOT NULL,
    value            DOUBLE PRECISION NOT NULL,
    timestamp        BIGINT  NOT NULL,
    PRIMARY KEY (training_job_key, position)
);

-- Decisions about running training jobs (stops by a stopping rule, Hyperband promotions). Never rewritten.
CREATE TABLE job_decision (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- the order decisions were taken in
    training_job_key TEXT    NOT NULL,
    tuning_job_key   TEXT    NOT NULL,
    kind             TEXT    NOT NULL,   -- EARLY_STOPPING | HYPERBAND_STOP | PROMOTION
    step             INTEGER NOT NULL,
    detail           TEXT    NOT NULL,
    decided_at       BIGINT  NOT NULL
);
CREATE UNIQUE INDEX job_decision_once ON job_decision (training_job_key, kind, step);
-- a training job keeps its first stop decision
CREATE UNIQUE INDEX job_decision_one_stop ON job_decision (training_job_key) WHERE kind <> 'PROMOTION';
CREATE INDEX job_decision_by_tuning ON job_decision (tuning_job_key, id);

-- The servers sharing this database, each alive until its heartbeat expires: how many there are
-- decides each one's share of the tuning jobs.
CREATE TABLE server_heartbeat (
    owner      TEXT   NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
