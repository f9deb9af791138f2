-- A source id bound to a customer that an import found by e-mail or phone
-- (someone else's record of the same person) only ever fills that
-- customer's empty fields; one the import created the customer from is
-- the source's own record and overwrites. Without the mark, the second
-- import of a file found the customer by the id the first one bound and
-- overwrote what the first had only filled: re-importing was not a no-op.
ALTER TABLE customer_keys ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;
