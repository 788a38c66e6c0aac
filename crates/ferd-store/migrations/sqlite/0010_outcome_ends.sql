-- Each client's first and latest response per instrument, kept in the transaction that stores a response, so the
-- outcome report reads one row per client and instrument instead of every response (SQLite dialect). Ordered as
-- the report orders responses: by authored_at, then id. Filled here from the responses already stored.
CREATE TABLE outcome_ends (
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    responses INTEGER NOT NULL,
    first_id TEXT NOT NULL,
    first_at INTEGER NOT NULL,
    first_answers TEXT NOT NULL,
    latest_id TEXT NOT NULL,
    latest_at INTEGER NOT NULL,
    latest_answers TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, instrument)
);
INSERT INTO outcome_ends (client_id, instrument, responses, first_id, first_at, first_answers, latest_id, latest_at,
                          latest_answers, created_at, updated_at)
SELECT f.client_id, f.instrument, f.n, f.id, f.authored_at, f.answers, l.id, l.authored_at, l.answers,
       f.authored_at, l.authored_at
FROM (SELECT client_id, instrument, id, authored_at, answers,
             COUNT(*) OVER (PARTITION BY client_id, instrument) AS n,
             ROW_NUMBER() OVER (PARTITION BY client_id, instrument ORDER BY authored_at, id) AS k
      FROM responses) f
JOIN (SELECT client_id, instrument, id, authored_at, answers,
             ROW_NUMBER() OVER (PARTITION BY client_id, instrument ORDER BY authored_at DESC, id DESC) AS k
      FROM responses) l
  ON l.client_id = f.client_id AND l.instrument = f.instrument AND l.k = 1
WHERE f.k = 1;
