-- The referral directory (SQLite dialect): the places a practice refers people to, and the record of each referral.

-- A place to refer to. What it offers and who is eligible are written per language (either or both); the public page
-- shows the reader's language, else the other. A place is public only with the date it was last checked (checked_on,
-- YYYY-MM-DD, the practice's own check); one checked more than twelve months ago is left off the public page until it
-- is checked again (decided when read, so it needs no job). suggestion names the ferd suggestion it was added from.
CREATE TABLE referral_places (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('trial', 'public-treatment', 'private-clinic', 'therapist', 'crisis-service', 'other')),
    offers_nb TEXT,
    offers_en TEXT,
    eligibility_nb TEXT,
    eligibility_en TEXT,
    -- Language tags, comma-separated (nb,en).
    languages TEXT NOT NULL DEFAULT '',
    region TEXT,
    phone TEXT,
    email TEXT,
    web TEXT,
    is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    checked_on TEXT,
    checked_by TEXT REFERENCES users(id),
    staff_note TEXT,
    suggestion TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (is_public = 0 OR checked_on IS NOT NULL),
    UNIQUE (practice_id, suggestion)
);
CREATE INDEX referral_places_practice ON referral_places(practice_id, kind, name);

-- A referral of a client or of a person who wrote to the practice (an inquiry, waitlisted or not): exactly one of
-- the two. Why is clinical, so it is sealed (AAD referrals.reason_enc.<id>). place_name keeps the place's name as it
-- was when the referral was made, so the record still says where after the place is deleted (place_id then NULL).
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    client_id TEXT REFERENCES clients(id) ON DELETE CASCADE,
    inquiry_id TEXT REFERENCES inquiries(id) ON DELETE CASCADE,
    place_id TEXT REFERENCES referral_places(id) ON DELETE SET NULL,
    place_name TEXT NOT NULL,
    reason_enc BLOB NOT NULL,
    referred_on TEXT NOT NULL,
    referred_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((client_id IS NULL) <> (inquiry_id IS NULL))
);
CREATE INDEX referrals_client ON referrals(client_id);
CREATE INDEX referrals_inquiry ON referrals(inquiry_id);
CREATE INDEX referrals_place ON referrals(place_id);
