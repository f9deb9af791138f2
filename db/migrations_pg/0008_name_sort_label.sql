-- The name sort orders customers by what the list shows in the Name
-- column: the name, or for a customer without one the e-mail, else the
-- phone, ASCII letters in lower case (SQLite's migration 17; lower()
-- under COLLATE "C" folds ASCII only, as SQLite's does). INCLUDE keeps a
-- deep page's ids an index-only scan (see 0005).
DROP INDEX IF EXISTS customers_by_name;
CREATE INDEX customers_by_name ON customers((lower(CASE WHEN name <> '' THEN name WHEN email <> '' THEN email ELSE phone END)), id) INCLUDE (name, email, phone);
