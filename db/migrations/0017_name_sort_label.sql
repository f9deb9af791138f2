-- The name sort orders customers by what the list shows in the Name
-- column: the name, or for a customer without one the e-mail, else the
-- phone — with ASCII letters in lower case, so "adam@…" sorts beside
-- "Adam". An export that gives only requesters' e-mails (Zendesk
-- Explore) made every name empty, and "Name ↑" then listed them in id
-- order. The 1–2 character search reads the same index, so "sa" finds
-- "Sam" and "salesforce@…" alike.
DROP INDEX IF EXISTS customers_by_name;
CREATE INDEX customers_by_name ON customers(lower(CASE WHEN name <> '' THEN name WHEN email <> '' THEN email ELSE phone END), id);
