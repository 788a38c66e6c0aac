-- Capacity and the waitlist (PostgreSQL dialect).

-- Whether the practice takes new clients (an admin sets it), and whether each therapist does (they set their own; an
-- admin may set anyone's). The practice counts as full when its own flag is off or none of its active therapists
-- takes new clients; the public site then offers the waitlist instead of the inquiry form.
ALTER TABLE practices ADD COLUMN accepting_new_clients BIGINT NOT NULL DEFAULT 1 CHECK (accepting_new_clients IN (0, 1));
ALTER TABLE users ADD COLUMN accepting_new_clients BIGINT NOT NULL DEFAULT 1 CHECK (accepting_new_clients IN (0, 1));

-- A place on the waitlist. It builds on the inquiry the person sent (name, e-mail, phone, language and the encrypted
-- message live there, under the inquiries' consent and retention), and goes with it when the inquiry is deleted.
-- Position is not stored: it is the rank among those waiting by joined_at, then id. status_token_hash is the SHA-256
-- of the person's status link (never the link itself); status_link_enc holds the link encrypted only until its
-- e-mail has been handed over. When the place ends (moved into intake, left, removed) ended_at is set, and the
-- inquiry's retention year runs from then; end_reason_enc is staff's reason for taking someone out of order or for
-- removing them, encrypted; position_at_end is the place they had at that moment (1: taken in order).
CREATE TABLE waitlist_entries (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    inquiry_id TEXT NOT NULL UNIQUE REFERENCES inquiries(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'moved', 'left', 'removed')),
    joined_at BIGINT NOT NULL,
    preferred_therapist_id TEXT REFERENCES users(id),
    status_token_hash TEXT UNIQUE,
    status_link_enc BYTEA,
    ended_at BIGINT,
    ended_by TEXT,
    end_reason_enc BYTEA,
    position_at_end BIGINT,
    client_id TEXT REFERENCES clients(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'waiting') = (ended_at IS NULL))
);
CREATE INDEX waitlist_entries_queue ON waitlist_entries(practice_id, status, joined_at, id);
