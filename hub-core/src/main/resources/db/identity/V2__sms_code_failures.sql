-- Wrong codes per purpose and phone within a window, kept across codes: a new code restarts its own five tries,
-- not this count, so asking for code after code does not buy unlimited guesses.
ALTER TABLE sms_code
  ADD COLUMN failures       INT NOT NULL DEFAULT 0,
  ADD COLUMN failures_since TIMESTAMPTZ;
