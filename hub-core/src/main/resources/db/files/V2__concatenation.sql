-- The tus concatenation extension: 'partial' for a partial upload, 'final;/files/a /files/b' (its parts, in order)
-- for a final one, null for an ordinary upload. This is the Upload-Concat value HEAD reports.
ALTER TABLE upload ADD COLUMN concat text CHECK (concat = 'partial' OR concat LIKE 'final;%');
