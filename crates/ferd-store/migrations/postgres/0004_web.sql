-- The web application: practice settings, sign-in state, invitations and alerts (PostgreSQL dialect).

-- Two-factor sign-in is required for admins and therapists unless the practice turns it off.
ALTER TABLE practices ADD COLUMN require_two_factor BIGINT NOT NULL DEFAULT 1 CHECK (require_two_factor IN (0, 1));
-- "Today" and "this week" on the dashboard are the practice's, not the server's.
ALTER TABLE practices ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Oslo';

-- The user's interface language (NULL: follow the browser).
ALTER TABLE users ADD COLUMN language TEXT;
-- The TOTP secret, sealed like clinical text (AAD users.totp_secret_enc.<id>); enabled once a code has confirmed it.
ALTER TABLE users ADD COLUMN totp_secret_enc BYTEA;
ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1));
-- The last TOTP time step accepted, so that a code cannot be used twice.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Signed-in browsers. The id is the SHA-256 of the cookie's token: the token itself is never stored. Stage
-- 'second-factor' waits for a TOTP code, 'enrol' must set up TOTP first, 'full' is signed in.
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('second-factor', 'enrol', 'full')),
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

-- Failed sign-ins per key (a hashed e-mail address or a client address), for throttling and temporary lock-out
-- shared by every ferd instance on the database.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);

-- One-time invitations for a client to choose a password. The token is stored only as its SHA-256.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX invitations_client ON invitations(client_id);

-- Things a person must look at: raised by a response or a session, acknowledged by a named user.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('suicidal-ideation', 'reliable-deterioration', 'missed-session')),
    source_id TEXT NOT NULL,
    instrument TEXT,
    raised_at BIGINT NOT NULL,
    acknowledged_by TEXT REFERENCES users(id),
    acknowledged_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, source_id)
);
CREATE INDEX alerts_client ON alerts(client_id, acknowledged_at);

CREATE INDEX sessions_scheduled ON sessions(scheduled_at);
CREATE INDEX assessments_due ON assessments(status, due_at);
