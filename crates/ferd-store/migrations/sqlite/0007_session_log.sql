-- The medicine-session log, for practices that run medicine sessions themselves (SQLite dialect).

-- Clinic mode: off unless the practice turns it on. A guide who refers clients to a licensed clinic never needs it.
ALTER TABLE practices ADD COLUMN clinic_mode INTEGER NOT NULL DEFAULT 0 CHECK (clinic_mode IN (0, 1));

-- What was recorded over a medicine session, one row per reading, at the time it was taken: a dose given (value_a
-- mg), blood pressure (value_a systolic, value_b diastolic, mmHg), pulse (bpm), temperature (°C), fluid (ml), SUDS
-- (0-10) or a note (text_enc, sealed). Values are whole tenths of the unit (37.4 °C is 374): sqlx's Any driver binds
-- a missing floating-point value as another PostgreSQL type than a present one, integers bind alike. client_id
-- repeats the session's so that scope and erasure need no join.
CREATE TABLE session_readings (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('dose', 'blood-pressure', 'pulse', 'temperature', 'fluid', 'suds', 'note')),
    value_a INTEGER,
    value_b INTEGER,
    text_enc BLOB,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX session_readings_session ON session_readings(session_id, at);
CREATE INDEX session_readings_client ON session_readings(client_id);
