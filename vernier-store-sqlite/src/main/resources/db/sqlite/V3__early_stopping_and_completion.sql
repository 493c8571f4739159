-- Set once a completion criterion or ResourceLimits.MaxRuntimeInSeconds has ended the tuning job:
-- no more training jobs start, running ones are stopped, then the job completes. Stored so that the
-- decision holds even if a stopped job's last objective would change the criterion's verdict.
ALTER TABLE tuning_job ADD COLUMN finishing_reason TEXT;

-- Why the controller stopped a training job (early stopping, a Hyperband rung), decided before the
-- stop was sent. One row per job, never rewritten: a restart keeps every decision.
CREATE TABLE stop_decision (
    training_job_key TEXT    NOT NULL PRIMARY KEY,
    tuning_job_key   TEXT    NOT NULL,
    cause            TEXT    NOT NULL,   -- EarlyStopping | Hyperband
    step             INTEGER NOT NULL,   -- objective data points the job had reported
    detail           TEXT    NOT NULL,
    decided_at       INTEGER NOT NULL
);
CREATE INDEX stop_decision_by_tuning ON stop_decision (tuning_job_key);

-- Hyperband promotions: a job judged at a rung and allowed to continue. Stored so that a restart
-- does not judge the job again at a rung it has passed (its peers may have changed since).
CREATE TABLE rung_promotion (
    training_job_key TEXT    NOT NULL,
    tuning_job_key   TEXT    NOT NULL,
    step             INTEGER NOT NULL,
    decided_at       INTEGER NOT NULL,
    PRIMARY KEY (training_job_key, step)
);
CREATE INDEX rung_promotion_by_tuning ON rung_promotion (tuning_job_key);
