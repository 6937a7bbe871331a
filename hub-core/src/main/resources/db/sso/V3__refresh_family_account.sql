-- An account's sign-ons end together when it is disabled or its password reset: its families are found by account.
CREATE INDEX refresh_family_account ON refresh_family (account_id);
