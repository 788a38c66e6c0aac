-- The public site's inquiry form (PostgreSQL dialect): the sender's consent is recorded with the inquiry, the practice
-- says how soon it answers, and a per-address limit on messages is counted under a keyed hash of the address.
ALTER TABLE inquiries ADD COLUMN consent_at BIGINT;
-- Which privacy notice the sender agreed to: the last-reviewed date of the privacy page they were shown.
ALTER TABLE inquiries ADD COLUMN consent_version TEXT;
ALTER TABLE practices ADD COLUMN inquiry_reply_days BIGINT NOT NULL DEFAULT 3 CHECK (inquiry_reply_days BETWEEN 1 AND 30);
CREATE TABLE public_rate_limits (
    key TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX inquiries_created ON inquiries(created_at);
