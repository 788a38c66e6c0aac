-- API tokens for other systems (an EHR, a trial's data capture): created and revoked by a practice admin, shown once,
-- stored only as the token's SHA-256, scoped to one practice and to reading or reading and writing (PostgreSQL dialect).
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- The token's first characters, shown in the list so an admin can tell tokens apart; never enough to use one.
    prefix TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_by TEXT NOT NULL REFERENCES users(id),
    last_used_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_practice ON api_tokens(practice_id, created_at);
