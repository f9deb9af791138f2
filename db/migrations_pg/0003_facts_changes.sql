-- The change journal of the Insights snapshot, as SQLite's migration 14
-- (read there why): every write that changes what a summary counts
-- appends the customers it touched, and a process holding a snapshot reads
-- again only those (db/facts_refresh.go). A NULL customer_id means "read
-- everything again".
--
-- Here the triggers are per statement, over transition tables: a bulk edit
-- of 10,000 rows appends its distinct customers in one INSERT. Writes take
-- the store's advisory write lock before anything else, so sequence values
-- are given in commit order (a rolled-back write leaves a gap, which the
-- reader does not mind). A write that sets rapport.facts_off for its
-- transaction (a copy into PostgreSQL) is not journaled; it appends a NULL
-- instead. The journal keeps its last 262,144 entries.
CREATE TABLE facts_changes (
    seq         BIGSERIAL PRIMARY KEY,
    customer_id BIGINT
);

CREATE FUNCTION rapport_facts_off() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('rapport.facts_off', true), '') = 'on'
$$;

CREATE FUNCTION rapport_facts_trim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM facts_changes WHERE seq <= (SELECT max(seq) FROM facts_changes) - 262144;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_changes_trim AFTER INSERT ON facts_changes
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_trim();

-- customers: created, deleted, or a dimension (facts.CustomerDims) or attrs changed
CREATE FUNCTION rapport_facts_customers_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_ai AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_customers_new();
CREATE FUNCTION rapport_facts_customers_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_ad AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_customers_old();
CREATE FUNCTION rapport_facts_customers_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id)
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.plan, o.region, o.city, o.lifecycle, o.language, o.attrs)
                IS DISTINCT FROM (n.plan, n.region, n.city, n.lifecycle, n.language, n.attrs);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_au AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_customers_upd();

-- feedback: created, deleted, or its customer, time, scores, a dimension
-- (facts.FeedbackDims) or attrs changed
CREATE FUNCTION rapport_facts_feedback_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT DISTINCT customer_id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_feedback_ai AFTER INSERT ON feedback REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_feedback_new();
CREATE FUNCTION rapport_facts_feedback_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT DISTINCT customer_id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_feedback_ad AFTER DELETE ON feedback REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_feedback_old();
CREATE FUNCTION rapport_facts_feedback_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        WITH d AS (
            SELECT o.customer_id AS a, n.customer_id AS b FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.customer_id, o.created_at, o.csat, o.nps, o.channel, o.kind, o.category_id, o.agent, o.source, o.attrs)
                IS DISTINCT FROM (n.customer_id, n.created_at, n.csat, n.nps, n.channel, n.kind, n.category_id, n.agent, n.source, n.attrs))
        INSERT INTO facts_changes(customer_id) SELECT a FROM d UNION SELECT b FROM d;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_feedback_au AFTER UPDATE ON feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_feedback_upd();

-- a customer's tags
CREATE FUNCTION rapport_facts_tags_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT DISTINCT customer_id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_tags_ai AFTER INSERT ON customer_tags REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_tags_new();
CREATE FUNCTION rapport_facts_tags_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT DISTINCT customer_id FROM old_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_tags_ad AFTER DELETE ON customer_tags REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_tags_old();
CREATE FUNCTION rapport_facts_tags_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT rapport_facts_off() THEN
        INSERT INTO facts_changes(customer_id) SELECT customer_id FROM old_rows UNION SELECT customer_id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_customer_tags_au AFTER UPDATE ON customer_tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_facts_tags_upd();

-- A renamed or deleted tag or category: everything is read again.
CREATE FUNCTION rapport_facts_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER facts_tags_au AFTER UPDATE OF name ON tags FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION rapport_facts_all();
CREATE TRIGGER facts_tags_ad AFTER DELETE ON tags FOR EACH ROW EXECUTE FUNCTION rapport_facts_all();
CREATE TRIGGER facts_categories_au AFTER UPDATE OF path ON categories FOR EACH ROW
    WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION rapport_facts_all();
CREATE TRIGGER facts_categories_ad AFTER DELETE ON categories FOR EACH ROW EXECUTE FUNCTION rapport_facts_all();

-- The refresh reads a touched customer's feedback through
-- feedback_by_customer: with source in it too, the index alone answers.
DROP INDEX feedback_by_customer;
CREATE INDEX feedback_by_customer ON feedback(customer_id, created_at, kind, category_id, channel, csat, nps, agent, source);

INSERT INTO facts_changes(customer_id) VALUES (NULL);
