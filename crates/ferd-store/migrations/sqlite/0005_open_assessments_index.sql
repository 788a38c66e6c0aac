-- A client's open assessments are looked up by client and status (the portal, each submission); without this index
-- SQLite chose the practice-wide (status, due_at) index and scanned every due assessment.
CREATE INDEX assessments_client_status ON assessments(client_id, status, due_at);
