-- The cluster member whose bridge holds a device's connection. A member that dies says nothing about its devices:
-- the members that remain mark offline those it held, and a member starting marks offline those held by members no
-- longer in the cluster (a whole hub that was killed and restarted).
ALTER TABLE device ADD COLUMN bridge_member text;
CREATE INDEX device_online_by_member ON device (bridge_member) WHERE online;
