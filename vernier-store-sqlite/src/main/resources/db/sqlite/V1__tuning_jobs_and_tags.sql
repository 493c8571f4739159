-- Tuning jobs: the columns that are filtered, sorted or changed, plus the canonical Create request
-- (without Tags) as JSON, which Describe echoes member for member.
CREATE TABLE tuning_job (
    name_key           TEXT    NOT NULL PRIMARY KEY,  -- lower-cased name: names are unique regardless of case
    name               TEXT    NOT NULL,
    arn                TEXT    NOT NULL UNIQUE,
    status             TEXT    NOT NULL,
    strategy           TEXT    NOT NULL,
    creation_time      INTEGER NOT NULL,              -- epoch milliseconds
    last_modified_time INTEGER NOT NULL,
    end_time           INTEGER,
    failure_reason     TEXT,
    spec               TEXT    NOT NULL
);
CREATE INDEX tuning_job_by_creation ON tuning_job (creation_time, name_key);
CREATE INDEX tuning_job_by_status ON tuning_job (status, name_key);

-- Tags of any resource, in the order they were first added.
CREATE TABLE tag (
    resource_arn TEXT    NOT NULL,
    tag_key      TEXT    NOT NULL,
    tag_value    TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
);
