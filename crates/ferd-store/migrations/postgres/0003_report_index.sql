-- Lets the outcome report read responses in (client, instrument, time, id) order without sorting them. It replaces
-- responses_client, which it extends.
DROP INDEX responses_client;
CREATE INDEX responses_report ON responses(client_id, instrument, authored_at, id);
