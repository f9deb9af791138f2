-- The change journal names the feedback row a write touched, as SQLite's
-- migration 16 (read there why): facts_changes.feedback_id, one entry per
-- row written instead of one per distinct customer. An entry without one
-- reads its customer in full.
ALTER TABLE facts_changes ADD COLUMN feedback_id BIGINT;

CREATE OR REPLACE FUNCTION rapport_facts_feedback_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id, feedback_id) SELECT customer_id, id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION rapport_facts_feedback_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id, feedback_id) SELECT customer_id, id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
-- A row whose id changed pairs with no old row: its customer (and the old
-- row's) is read in full.
CREATE OR REPLACE FUNCTION rapport_facts_feedback_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        WITH d AS (
            SELECT o.customer_id AS a, n.customer_id AS b, o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.customer_id, o.created_at, o.csat, o.nps, o.channel, o.kind, o.category_id, o.agent, o.source, o.attrs)
                IS DISTINCT FROM (n.customer_id, n.created_at, n.csat, n.nps, n.channel, n.kind, n.category_id, n.agent, n.source, n.attrs))
        INSERT INTO facts_changes(customer_id, feedback_id)
            SELECT a, id FROM d
            UNION SELECT b, id FROM d
            UNION SELECT o.customer_id, NULL FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id)
            UNION SELECT n.customer_id, NULL FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id);
    END IF;
    RETURN NULL;
END $$;
