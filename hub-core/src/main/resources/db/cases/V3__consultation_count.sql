-- A consultation row may carry a tally (a window's or queue system's count for a period) rather than one visit.
ALTER TABLE consultation ADD COLUMN count INT NOT NULL DEFAULT 1 CHECK (count BETWEEN 1 AND 100000);
