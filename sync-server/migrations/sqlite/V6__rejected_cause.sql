-- 6: why an operation was refused, as a code a phone can say in its user's language.
ALTER TABLE rejected ADD COLUMN cause TEXT;
