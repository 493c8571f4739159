-- Dashboard sessions signed out before they expire, so that every server sharing this database
-- refuses their cookies. A row is needed only until the session would have expired anyway.
CREATE TABLE signed_out_session (
    session_id TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL   -- epoch seconds: the session's own expiry
);
CREATE INDEX signed_out_session_by_expiry ON signed_out_session (expires_at);

-- Failed dashboard sign-ins per client address, counted by every server on this database, so that
-- N servers do not allow N times as many guesses. Kept only for the throttle's window.
CREATE TABLE failed_sign_in (
    client    TEXT    NOT NULL,
    failed_at INTEGER NOT NULL   -- epoch milliseconds
);
CREATE INDEX failed_sign_in_by_client ON failed_sign_in (client, failed_at);
CREATE INDEX failed_sign_in_by_time ON failed_sign_in (failed_at);
