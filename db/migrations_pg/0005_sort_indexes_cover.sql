-- The two customer sorts by an expression (coalesce(csat_avg, 9) and
-- coalesce(last_contact_at, '')) get their column into the index too, so
-- that PostgreSQL can read a page's ids from the index alone: it answers
-- an index-only scan only when every column the query names is in the
-- index, and an expression's column is not. A deep page
-- (customers --sort last_contact --offset 500000, whose ids db/customer_list.go
-- skips over before reading the page) visited 500,000 rows of the table:
-- 1.7 s on a million customers.
DROP INDEX IF EXISTS customers_by_csat;
CREATE INDEX customers_by_csat ON customers((coalesce(csat_avg, 9)), id) INCLUDE (csat_avg);
DROP INDEX IF EXISTS customers_by_contact;
CREATE INDEX customers_by_contact ON customers((coalesce(last_contact_at, '')), id) INCLUDE (last_contact_at);
