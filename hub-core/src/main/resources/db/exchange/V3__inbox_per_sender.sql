-- A message id is unique per sender only: keyed on it alone, a registered node could take another node's id first
-- and have the genuine message answered as a duplicate.
ALTER TABLE inbox DROP CONSTRAINT inbox_pkey;
ALTER TABLE inbox ADD PRIMARY KEY (sender, message_id);
