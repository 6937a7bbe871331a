-- Presence is per connection: the bridge names each connection, and an offline report counts only for the
-- connection the registry last saw come online. A device that reconnected through another bridge is not marked
-- offline when its old connection times out, and an online report arriving after its own offline is ignored.
ALTER TABLE device ADD COLUMN connection_id text;
