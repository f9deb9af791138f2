-- Migration 9: one person is one customer. No two customers share a
-- case-folded e-mail (email_key) or the digits of a phone (phone_digits).
-- The store checks this before every write and names the customer who
-- already has the value (db/identity.go); these unique indexes make it
-- hold for any writer.
--
-- A database from before this rule may already hold two customers with
-- one e-mail or phone. The migration must not fail on them, and must not
-- blank the values (search and segments read them): the later ones
-- (higher id) are marked email_dup / phone_dup and left out of the unique
-- index, and the duplicates view lists them to be merged. A marked
-- customer whose e-mail or phone changes loses its mark, so the new value
-- is held to the rule.
ALTER TABLE customers ADD COLUMN email_dup INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN phone_dup INTEGER NOT NULL DEFAULT 0;

UPDATE customers SET email_dup = 1 WHERE email_key <> '' AND EXISTS (
    SELECT 1 FROM customers o WHERE o.email_key = customers.email_key AND o.id < customers.id);
UPDATE customers SET phone_dup = 1 WHERE phone_digits <> '' AND EXISTS (
    SELECT 1 FROM customers o WHERE o.phone_digits = customers.phone_digits AND o.id < customers.id);

CREATE UNIQUE INDEX customers_email_unique ON customers(email_key) WHERE email_key <> '' AND email_dup = 0;
CREATE UNIQUE INDEX customers_phone_unique ON customers(phone_digits) WHERE phone_digits <> '' AND phone_dup = 0;

CREATE TRIGGER customers_email_dup_clear AFTER UPDATE OF email_key ON customers
WHEN NEW.email_dup <> 0 AND OLD.email_key IS NOT NEW.email_key BEGIN
    UPDATE customers SET email_dup = 0 WHERE id = NEW.id;
END;
CREATE TRIGGER customers_phone_dup_clear AFTER UPDATE OF phone_digits ON customers
WHEN NEW.phone_dup <> 0 AND OLD.phone_digits IS NOT NEW.phone_digits BEGIN
    UPDATE customers SET phone_dup = 0 WHERE id = NEW.id;
END;
