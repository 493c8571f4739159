-- Compare-and-set: every write of a tuning job's row bumps its version, and succeeds only on the
-- version it read, so the API and the controller (or two servers) never overwrite each other.
ALTER TABLE tuning_job ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Ownership as data: the server that drives the job, until when, and a fence that grows with each
-- new owner. Every write the controller makes carries the fence it holds.
ALTER TABLE tuning_job ADD COLUMN lease_owner TEXT;
ALTER TABLE tuning_job ADD COLUMN lease_expires_at INTEGER;   -- epoch milliseconds
ALTER TABLE tuning_job ADD COLUMN lease_fence INTEGER NOT NULL DEFAULT 0;

-- Decisions about running training jobs (stops by a stopping rule, Hyperband promotions), one table
-- for every kind, replacing stop_decision and rung_promotion. Never rewritten.
CREATE TABLE job_decision (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,   -- the order decisions were taken in
    training_job_key TEXT    NOT NULL,
    tuning_job_key   TEXT    NOT NULL,
    kind             TEXT    NOT NULL,   -- EARLY_STOPPING | HYPERBAND_STOP | PROMOTION
    step             INTEGER NOT NULL,
    detail           TEXT    NOT NULL,
    decided_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX job_decision_once ON job_decision (training_job_key, kind, step);
-- a training job keeps its first stop decision
CREATE UNIQUE INDEX job_decision_one_stop ON job_decision (training_job_key) WHERE kind <> 'PROMOTION';
CREATE INDEX job_decision_by_tuning ON job_decision (tuning_job_key, id);

INSERT INTO job_decision (training_job_key, tuning_job_key, kind, step, detail, decided_at)
SELECT training_job_key, tuning_job_key, CASE cause WHEN 'HYPERBAND' THEN 'HYPERBAND_STOP' ELSE 'EARLY_STOPPING' END,
       step, detail, decided_at
FROM stop_decision ORDER BY decided_at;
INSERT INTO job_decision (training_job_key, tuning_job_key, kind, step, detail, decided_at)
SELECT training_job_key, tuning_job_key, 'PROMOTION', step, '', decided_at
FROM rung_promotion ORDER BY decided_at, step;
DROP TABLE stop_decision;
DROP TABLE rung_promotion;
