-- Open follow-ups per customer move off the customer's row into a narrow
-- table of their own. A recall of 100,000 members changed one count on
-- each of their rows: about 60,000 pages of a 1M-customer table (a tenth
-- of the customers, a dozen to a page) copied into the statement journal,
-- the WAL and back, 5–8 s. The same counts here fill some 2,500 pages, and
-- a recall rewrites them in a fraction of a second. Lists, sorts and
-- segments read followup_counts.open (the Customers sort by open
-- follow-ups from followup_counts_by_open); customers.followups_open is
-- no longer written or read.
CREATE TABLE followup_counts (
    customer_id INTEGER PRIMARY KEY,
    open        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO followup_counts(customer_id, open) SELECT id, followups_open FROM customers;
CREATE INDEX followup_counts_by_open ON followup_counts(open, customer_id);
DROP INDEX customers_by_followups;

-- Every customer has its row, from its creation to its deletion.
CREATE TRIGGER followup_counts_customer_ai AFTER INSERT ON customers BEGIN
    INSERT OR IGNORE INTO followup_counts(customer_id, open) VALUES (NEW.id, 0);
END;
CREATE TRIGGER followup_counts_customer_ad AFTER DELETE ON customers BEGIN
    DELETE FROM followup_counts WHERE customer_id = OLD.id;
END;
