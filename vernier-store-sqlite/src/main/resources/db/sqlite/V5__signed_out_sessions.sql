-- Dashboard sessions signed out before they expire, so that every server sharing this database
-- refuses their cookies. A row is needed only until the session would have expired anyway.
CREATE TABLE signed_out_session (
    session_id TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL   -- epoch seconds: the session's own expiry
);
CREATE INDEX signed_out_session_by_expiry ON signed_out_session (expires_at);
