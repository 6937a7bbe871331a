-- The last telemetry report applied: its connection and that connection's report number. Reports of one connection
-- can be handled by different hub members at once, and one older than the report applied changes nothing.
ALTER TABLE device ADD COLUMN telemetry_connection text, ADD COLUMN telemetry_n bigint;
