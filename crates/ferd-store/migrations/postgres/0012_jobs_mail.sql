-- Background jobs and e-mail reminders (PostgreSQL dialect).

-- The practice's reminder timing, set by an admin on /admin/mail. A session reminder goes this many hours before a
-- planned session (0: none). Questionnaire reminders go at reminder_hour (the practice's local time) on the day an
-- assessment falls due, if reminder_questionnaire is on, and again reminder_overdue_days later if it is still open
-- (0: no second reminder). alert_mail tells a client's therapist by e-mail that a new alert waits in ferd.
ALTER TABLE practices ADD COLUMN reminder_session_hours BIGINT NOT NULL DEFAULT 24 CHECK (reminder_session_hours BETWEEN 0 AND 168);
ALTER TABLE practices ADD COLUMN reminder_questionnaire BIGINT NOT NULL DEFAULT 1 CHECK (reminder_questionnaire IN (0, 1));
ALTER TABLE practices ADD COLUMN reminder_hour BIGINT NOT NULL DEFAULT 9 CHECK (reminder_hour BETWEEN 0 AND 23);
ALTER TABLE practices ADD COLUMN reminder_overdue_days BIGINT NOT NULL DEFAULT 3 CHECK (reminder_overdue_days BETWEEN 0 AND 30);
ALTER TABLE practices ADD COLUMN alert_mail BIGINT NOT NULL DEFAULT 1 CHECK (alert_mail IN (0, 1));

-- When a client turned e-mail reminders off on their account page (NULL: they receive them).
ALTER TABLE clients ADD COLUMN reminders_off_at BIGINT;

-- The job queue. A payload holds ids only, never clinical content; last_error holds no personal data. dedupe_key is
-- what makes a reminder be enqueued once, by however many instances. A job is claimed by setting it running with a
-- lease (locked_by, locked_until) in a committed transaction before its mail is handed over, and marked sent right
-- after: a running job whose lease has expired was interrupted mid-send and is never retried by itself.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    practice_id TEXT REFERENCES practices(id) ON DELETE CASCADE,
    -- The client the job is about, so that erasing the client removes it.
    client_id TEXT REFERENCES clients(id) ON DELETE CASCADE,
    -- Whom the mail goes to (a user id; the address is read when it is sent).
    recipient_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'sent', 'skipped', 'failed', 'interrupted')),
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL CHECK (max_attempts >= 1),
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    -- The .eml file in the outbox folder, when the mail went there instead of to an SMTP server.
    outbox_file TEXT,
    finished_at BIGINT,
    -- When an admin last sent an interrupted or failed job again.
    resent_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);
CREATE INDEX jobs_practice ON jobs(practice_id, created_at);
CREATE INDEX jobs_client ON jobs(client_id);
CREATE INDEX jobs_recipient ON jobs(recipient_id);
