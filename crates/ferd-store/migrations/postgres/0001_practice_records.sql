-- Practice records (PostgreSQL dialect; migrations/sqlite holds the same schema for SQLite).
-- Times are Unix milliseconds (UTC). Booleans are 0/1. Clinical free text is stored only as AEAD ciphertext
-- (BYTEA columns whose names end in _enc), never as plain text.

CREATE TABLE practices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    practice_id TEXT REFERENCES practices(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'client')),
    practice_admin BIGINT NOT NULL DEFAULT 0 CHECK (practice_admin IN (0, 1)),
    password_hash TEXT,
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    therapist_id TEXT REFERENCES users(id),
    user_id TEXT UNIQUE REFERENCES users(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    birth_year BIGINT,
    emergency_contact TEXT,
    preferred_language TEXT NOT NULL,
    research_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX clients_practice ON clients(practice_id, therapist_id);

CREATE TABLE journeys (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    protocol TEXT NOT NULL,
    phase TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX journeys_client ON journeys(client_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    journey_id TEXT REFERENCES journeys(id) ON DELETE CASCADE,
    therapist_id TEXT REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('intake', 'preparation', 'medicine', 'integration', 'follow-up')),
    scheduled_at BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    place TEXT,
    video_link TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled', 'missed')),
    note_enc BYTEA,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_client ON sessions(client_id, scheduled_at);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    journey_id TEXT REFERENCES journeys(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    point TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('due', 'completed', 'skipped', 'cancelled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX assessments_client ON assessments(client_id, due_at);

CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    assessment_id TEXT REFERENCES assessments(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    answers TEXT NOT NULL,
    total BIGINT NOT NULL,
    summary TEXT NOT NULL,
    authored_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX responses_client ON responses(client_id, instrument, authored_at);

CREATE TABLE inquiries (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    language TEXT NOT NULL,
    message_enc BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'answered', 'closed')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    text_version TEXT NOT NULL,
    agreed_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    shared BIGINT NOT NULL CHECK (shared IN (0, 1)),
    body_enc BYTEA NOT NULL,
    written_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX journal_client ON journal_entries(client_id, written_at);

-- The audit trail: an append-only SHA-256 hash chain. audit_head holds the last sequence number and hash; every
-- transaction that appends an event first updates it, which serialises appends across ferd instances.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
