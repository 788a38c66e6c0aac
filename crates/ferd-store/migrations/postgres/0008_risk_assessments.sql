-- A clinician's suicide-risk assessments: the C-SSRS screener's result (highest ideation level 0-5, recent
-- behaviour), never its item text; the note is sealed (PostgreSQL dialect).
CREATE TABLE risk_assessments (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    ideation_level BIGINT NOT NULL CHECK (ideation_level BETWEEN 0 AND 5),
    recent_behaviour BIGINT NOT NULL CHECK (recent_behaviour IN (0, 1)),
    assessed_at BIGINT NOT NULL,
    assessed_by TEXT NOT NULL REFERENCES users(id),
    note_enc BYTEA,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX risk_assessments_client ON risk_assessments(client_id, assessed_at);
