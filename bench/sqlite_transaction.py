"""What ferd's questionnaire-response transaction costs in SQLite itself, with no HTTP, JSON or Rust around it.

Beside shared/bench/sqlite_ceiling.py's one-row insert (the FHIR target's "raw durable rate"), this times, on the
same file system and in one Python process, one transaction per response shaped as ferd-store's response writer
stores a PCL-5 (crates/ferd-store/src/response_writer.rs): BEGIN IMMEDIATE; advance the audit head (RETURNING);
check the client; read the client's first response to the instrument; insert the response (text id, two indexes:
the primary key's and responses_report); upsert outcome_ends; insert the audit event; set the head; COMMIT. Tables
and indexes as migrations 0001, 0003 and 0010 make them (columns ferd does not touch here left out), WAL,
synchronous FULL, a database that already holds 20,000 responses of 200 clients.

usage: python3 bench/sqlite_transaction.py [DIR] [N]   (default DIR ./sqlite-transaction, N 3000; three rounds)
"""
import json
import os
import random
import sqlite3
import statistics
import sys
import time
import uuid

DIR = sys.argv[1] if len(sys.argv) > 1 else "./sqlite-transaction"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
os.makedirs(DIR, exist_ok=True)

SCHEMA = """
CREATE TABLE clients (id TEXT PRIMARY KEY, practice_id TEXT NOT NULL);
CREATE TABLE responses (
    id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id), assessment_id TEXT,
    instrument TEXT NOT NULL, instrument_version TEXT NOT NULL, answers TEXT NOT NULL, total INTEGER NOT NULL,
    summary TEXT NOT NULL, authored_at INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX responses_report ON responses(client_id, instrument, authored_at, id);
CREATE TABLE outcome_ends (
    client_id TEXT NOT NULL REFERENCES clients(id), instrument TEXT NOT NULL, responses INTEGER NOT NULL,
    first_id TEXT NOT NULL, first_at INTEGER NOT NULL, first_answers TEXT NOT NULL, latest_id TEXT NOT NULL,
    latest_at INTEGER NOT NULL, latest_answers TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, PRIMARY KEY (client_id, instrument));
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL,
    action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, request_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head VALUES (1, 0, '0');
"""

# The summary ferd stores beside a PCL-5's answers is about this long (totals, clusters, band, flags).
SUMMARY = json.dumps({"total": 0, "band": "x" * 20, "subscales": {f"s{k}": 0 for k in range(4)}, "flags": []})


def fresh(name):
    path = os.path.join(DIR, name)
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(path + ext):
            os.remove(path + ext)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    return con


def answers():
    return json.dumps([random.randint(0, 4) for _ in range(20)])


def one_row():
    """sqlite_ceiling.py's single mode: a 1.2 KB row, one transaction per row."""
    con = fresh("one-row.db")
    con.execute("CREATE TABLE r(id INTEGER PRIMARY KEY, client INTEGER, body TEXT NOT NULL)")
    body = "x" * 1200
    t = time.perf_counter()
    for i in range(N):
        con.execute("BEGIN")
        con.execute("INSERT INTO r(client, body) VALUES (?, ?)", (i % 5000, body))
        con.execute("COMMIT")
    rate = N / (time.perf_counter() - t)
    con.close()
    return rate


def response_transaction():
    con = fresh("responses.db")
    con.executescript(SCHEMA)
    clients = [str(uuid.uuid4()) for _ in range(200)]
    con.executemany("INSERT INTO clients VALUES (?, 'p')", [(c,) for c in clients])
    con.execute("BEGIN")
    for i in range(20000):
        con.execute("INSERT INTO responses VALUES (?, ?, NULL, 'pcl-5', '1', ?, 40, ?, ?, ?, ?)",
                    (str(uuid.uuid4()), random.choice(clients), answers(), SUMMARY, i, i, i))
    con.execute("COMMIT")
    t = time.perf_counter()
    for i in range(N):
        client, rid, ans, now = random.choice(clients), str(uuid.uuid4()), answers(), 10**12 + i
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetchall()
        con.execute("SELECT c.id FROM clients c WHERE c.id = ? AND c.practice_id = 'p'", (client,)).fetchall()
        con.execute("SELECT authored_at, answers, id FROM responses WHERE client_id = ? AND instrument = 'pcl-5' "
                    "ORDER BY authored_at, id LIMIT 1", (client,)).fetchall()
        con.execute("INSERT INTO responses VALUES (?, ?, NULL, 'pcl-5', '1', ?, 40, ?, ?, ?, ?)",
                    (rid, client, ans, SUMMARY, now, now, now))
        con.execute("INSERT INTO outcome_ends VALUES (?, 'pcl-5', 1, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (client_id, instrument) DO UPDATE SET responses = responses + 1, "
                    "latest_id = excluded.latest_id, latest_at = excluded.latest_at, "
                    "latest_answers = excluded.latest_answers, updated_at = excluded.updated_at",
                    (client, rid, now, ans, rid, now, ans, now, now))
        con.execute("INSERT INTO audit_events (seq, at, actor_id, actor_role, action, entity, entity_id, request_id, "
                    "prev_hash, hash) VALUES ((SELECT seq FROM audit_head), ?, ?, 'therapist', 'create', "
                    "'response', ?, ?, ?, ?)", (now, "api-token:" + "t" * 36, rid, "r" * 36, "h" * 64, "h" * 64))
        con.execute("UPDATE audit_head SET hash = ? WHERE id = 1", ("h" * 64,))
        con.execute("COMMIT")
    rate = N / (time.perf_counter() - t)
    con.close()
    return rate


print(f"sqlite {sqlite3.sqlite_version}, python {sys.version.split()[0]}, dir {DIR}, {N} transactions a round")
pairs = [(one_row(), response_transaction()) for _ in range(3)]
for k, (a, b) in enumerate(pairs, 1):
    print(f"round {k}: one-row insert {a:,.0f}/s, ferd's response transaction {b:,.0f}/s ({100 * b / a:.0f} %)")
a, b = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
print(f"median: one-row insert {a:,.0f}/s, ferd's response transaction {b:,.0f}/s ({100 * b / a:.0f} %)")
