-- The client journey and safety screening (SQLite dialect).

-- Sessions made from a protocol template remember their place in it, how they are held, and, for a medicine
-- session held by a licensed clinic or a trial, where and by whom (sealed: clinic, responsible clinician, referral).
ALTER TABLE sessions ADD COLUMN plan_key TEXT;
ALTER TABLE sessions ADD COLUMN contact TEXT NOT NULL DEFAULT 'in-person' CHECK (contact IN ('in-person', 'video', 'phone'));
ALTER TABLE sessions ADD COLUMN external_enc BLOB;
ALTER TABLE assessments ADD COLUMN plan_key TEXT;

-- A client's intake for screening: their answers and the findings ferd-core's rules gave, both sealed.
CREATE TABLE screenings (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    answers_enc BLOB NOT NULL,
    findings_enc BLOB NOT NULL,
    worst_severity TEXT,
    submitted_by TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX screenings_client ON screenings(client_id, submitted_at);

-- A named clinician's decision on a screening: cleared or refused, with a sealed comment. Never made by ferd.
CREATE TABLE clearances (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    screening_id TEXT NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('cleared', 'refused')),
    clinician_id TEXT NOT NULL REFERENCES users(id),
    decided_at INTEGER NOT NULL,
    comment_enc BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX clearances_client ON clearances(client_id, decided_at);

-- What was done about an alert (the suicide-risk path asks for it), sealed.
ALTER TABLE alerts ADD COLUMN action_enc BLOB;

-- Calendar subscriptions: a secret address per user (stored as its hash), revocable.
CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
