-- Open follow-ups per customer live in a narrow table of their own, as in
-- SQLite's migration 13: a recall of 100,000 members adds one to 100,000
-- small rows instead of rewriting 100,000 wide customer rows. Lists, sorts
-- and segments read followup_counts.open; customers.followups_open is no
-- longer written or read.
CREATE TABLE followup_counts (
    customer_id BIGINT PRIMARY KEY,
    open        BIGINT NOT NULL DEFAULT 0
);
INSERT INTO followup_counts(customer_id, open) SELECT id, followups_open FROM customers;
CREATE INDEX followup_counts_by_open ON followup_counts(open, customer_id);
DROP INDEX customers_by_followups;

-- Every customer has its row, from its creation to its deletion.
CREATE FUNCTION rapport_followup_counts_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO followup_counts(customer_id, open) VALUES (NEW.id, 0) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER followup_counts_customer_ai AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION rapport_followup_counts_ai();
CREATE FUNCTION rapport_followup_counts_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM followup_counts WHERE customer_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER followup_counts_customer_ad AFTER DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION rapport_followup_counts_ad();

-- printf as the figures' SQL uses it (db/customer_figures.go): an integer
-- zero-padded to a width, '%020d'. Only that form is given.
CREATE FUNCTION printf(f text, n bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lpad(n::text, substring(f from '^%0([0-9]+)d$')::int, '0')
$$;
