-- Imports index the rows a batch creates in one statement at the end of the
-- batch instead of row by row. Row-by-row full-text inserts inside a long
-- transaction make FTS5 flush its pending terms to disk at every following
-- statement (each opens a savepoint), which made a 100,000-row import spend
-- most of a minute merging tiny segments.
--
-- While a batch runs, bulk_load holds, per table, the first id the batch
-- creates; the triggers below skip rows from that id on, and the batch
-- indexes them with their final values before it deletes its bulk_load rows
-- and commits (db/import_store.go). bulk_load is empty outside a batch's
-- transaction, so every other write, and every other process, indexes as
-- before.
CREATE TABLE bulk_load (
    tbl      TEXT PRIMARY KEY,
    first_id INTEGER NOT NULL
) WITHOUT ROWID;

-- A first load into an empty database drops the secondary indexes the
-- import does not read and builds them once at the end (db/first_load.go).
-- Their definitions wait here, committed with the drop, so that a load
-- that is killed leaves them to be rebuilt by the next Open.
CREATE TABLE deferred_index (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
) WITHOUT ROWID;

-- The aggregates ask, per changed row, whether the customer has another
-- row with the same kind, category, channel or month (the triggers below,
-- db/bulk_agg.go); with those columns in feedback_by_customer the answer
-- comes from the index alone, one or two pages per customer instead of a
-- table row per feedback.
DROP INDEX feedback_by_customer;
CREATE INDEX feedback_by_customer ON feedback(customer_id, created_at, kind, category_id, channel);

DROP TRIGGER customers_fts_ai;
DROP TRIGGER customers_fts_ad;
DROP TRIGGER customers_fts_au;
DROP TRIGGER feedback_fts_ai;
DROP TRIGGER feedback_fts_ad;
DROP TRIGGER feedback_fts_au;

CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'customers' AND new.id >= first_id) BEGIN
    INSERT INTO customers_fts(rowid, name, email, phone_digits, company)
    VALUES (new.id, new.name, new.email, new.phone_digits, new.company);
END;

CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'customers' AND old.id >= first_id) BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email, phone_digits, company)
    VALUES ('delete', old.id, old.name, old.email, old.phone_digits, old.company);
END;

CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, email, phone_digits, company ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'customers' AND new.id >= first_id) BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email, phone_digits, company)
    VALUES ('delete', old.id, old.name, old.email, old.phone_digits, old.company);
    INSERT INTO customers_fts(rowid, name, email, phone_digits, company)
    VALUES (new.id, new.name, new.email, new.phone_digits, new.company);
END;

CREATE TRIGGER feedback_fts_ai AFTER INSERT ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'feedback' AND new.id >= first_id) BEGIN
    INSERT INTO feedback_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
    INSERT INTO feedback_grams(rowid, grams)
        SELECT new.id, g FROM (SELECT rapport_cjk_bigrams(new.subject, new.body) AS g) WHERE g <> '';
END;

CREATE TRIGGER feedback_fts_ad AFTER DELETE ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'feedback' AND old.id >= first_id) BEGIN
    INSERT INTO feedback_fts(feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
    DELETE FROM feedback_grams WHERE rowid = old.id;
END;

CREATE TRIGGER feedback_fts_au AFTER UPDATE OF subject, body ON feedback
WHEN (old.subject IS NOT new.subject OR old.body IS NOT new.body)
    AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'feedback' AND new.id >= first_id) BEGIN
    INSERT INTO feedback_fts(feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
    INSERT INTO feedback_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
    DELETE FROM feedback_grams WHERE rowid = old.id;
    INSERT INTO feedback_grams(rowid, grams)
        SELECT new.id, g FROM (SELECT rapport_cjk_bigrams(new.subject, new.body) AS g) WHERE g <> '';
END;

-- The aggregate triggers of migration 5 stand aside in the same way while
-- a batch holds a bulk_load row for summary_agg: the batch takes each
-- customer it changes out of summary_agg before its first change and puts
-- the customer's final rows back in at the end, with the customer's derived
-- figures, reading each history once (db/bulk_agg.go).

DROP TRIGGER summary_agg_feedback_ai;
CREATE TRIGGER summary_agg_feedback_ai AFTER INSERT ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT d.dim,
            CASE d.dim WHEN 'all' THEN '' WHEN 'plan' THEN x.plan WHEN 'region' THEN x.region WHEN 'lifecycle' THEN x.lifecycle
                WHEN 'channel' THEN x.channel WHEN 'kind' THEN x.kind ELSE x.category END,
            CASE d.per WHEN 'm' THEN x.m ELSE '' END,
            1,
            CASE WHEN d.per = 'm' THEN (d.dim = 'all' AND NOT x.any_month)
                WHEN d.dim = 'channel' THEN NOT x.any_channel WHEN d.dim = 'kind' THEN NOT x.any_kind
                WHEN d.dim = 'category' THEN NOT x.any_category ELSE NOT x.any_all END,
            (NEW.csat IS NOT NULL), coalesce(NEW.csat, 0), coalesce(NEW.csat >= 4, 0), (NEW.nps IS NOT NULL),
            coalesce(NEW.nps >= 9, 0), coalesce(NEW.nps <= 6, 0), (NEW.kind = 'complaint')
        FROM (SELECT strftime('%Y-%m', NEW.created_at) AS m,
                coalesce(nullif(c.plan, ''), '(none)') AS plan, coalesce(nullif(c.region, ''), '(none)') AS region,
                coalesce(nullif(c.lifecycle, ''), '(none)') AS lifecycle, coalesce(nullif(NEW.channel, ''), '(none)') AS channel,
                NEW.kind AS kind, CAST(coalesce(NEW.category_id, 0) AS TEXT) AS category,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id) AS any_all,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.created_at >= strftime('%Y-%m-01', NEW.created_at)
                        AND G.created_at < date(NEW.created_at, 'start of month', '+1 month')) AS any_month,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.channel = NEW.channel) AS any_channel,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.kind = NEW.kind) AS any_kind,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.category_id IS NEW.category_id) AS any_category
            FROM (SELECT 1) LEFT JOIN customers c ON c.id = NEW.customer_id) x, (SELECT 'all' AS dim, 'm' AS per UNION ALL SELECT 'all', '' UNION ALL SELECT 'plan', 'm' UNION ALL SELECT 'plan', '' UNION ALL SELECT 'region', 'm' UNION ALL SELECT 'region', '' UNION ALL SELECT 'lifecycle', 'm' UNION ALL SELECT 'lifecycle', '' UNION ALL SELECT 'channel', 'm' UNION ALL SELECT 'channel', '' UNION ALL SELECT 'kind', 'm' UNION ALL SELECT 'kind', '' UNION ALL SELECT 'category', 'm' UNION ALL SELECT 'category', '') d
        WHERE true
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_feedback_ad;
CREATE TRIGGER summary_agg_feedback_ad AFTER DELETE ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT d.dim,
            CASE d.dim WHEN 'all' THEN '' WHEN 'plan' THEN x.plan WHEN 'region' THEN x.region WHEN 'lifecycle' THEN x.lifecycle
                WHEN 'channel' THEN x.channel WHEN 'kind' THEN x.kind ELSE x.category END,
            CASE d.per WHEN 'm' THEN x.m ELSE '' END,
            -1,
            -CASE WHEN d.per = 'm' THEN (d.dim = 'all' AND NOT x.any_month)
                WHEN d.dim = 'channel' THEN NOT x.any_channel WHEN d.dim = 'kind' THEN NOT x.any_kind
                WHEN d.dim = 'category' THEN NOT x.any_category ELSE NOT x.any_all END,
            -(OLD.csat IS NOT NULL), -coalesce(OLD.csat, 0), -coalesce(OLD.csat >= 4, 0), -(OLD.nps IS NOT NULL),
            -coalesce(OLD.nps >= 9, 0), -coalesce(OLD.nps <= 6, 0), -(OLD.kind = 'complaint')
        FROM (SELECT strftime('%Y-%m', OLD.created_at) AS m,
                coalesce(nullif(c.plan, ''), '(none)') AS plan, coalesce(nullif(c.region, ''), '(none)') AS region,
                coalesce(nullif(c.lifecycle, ''), '(none)') AS lifecycle, coalesce(nullif(OLD.channel, ''), '(none)') AS channel,
                OLD.kind AS kind, CAST(coalesce(OLD.category_id, 0) AS TEXT) AS category,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id) AS any_all,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.created_at >= strftime('%Y-%m-01', OLD.created_at)
                        AND G.created_at < date(OLD.created_at, 'start of month', '+1 month')) AS any_month,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.channel = OLD.channel) AS any_channel,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.kind = OLD.kind) AS any_kind,
                EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.category_id IS OLD.category_id) AS any_category
            FROM (SELECT 1) LEFT JOIN customers c ON c.id = OLD.customer_id) x, (SELECT 'all' AS dim, 'm' AS per UNION ALL SELECT 'all', '' UNION ALL SELECT 'plan', 'm' UNION ALL SELECT 'plan', '' UNION ALL SELECT 'region', 'm' UNION ALL SELECT 'region', '' UNION ALL SELECT 'lifecycle', 'm' UNION ALL SELECT 'lifecycle', '' UNION ALL SELECT 'channel', 'm' UNION ALL SELECT 'channel', '' UNION ALL SELECT 'kind', 'm' UNION ALL SELECT 'kind', '' UNION ALL SELECT 'category', 'm' UNION ALL SELECT 'category', '') d
        WHERE true
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_feedback_au;
CREATE TRIGGER summary_agg_feedback_au AFTER UPDATE OF customer_id, created_at, csat, nps, kind, channel, category_id ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT d.dim,
            CASE d.dim WHEN 'all' THEN '' WHEN 'plan' THEN x.plan WHEN 'region' THEN x.region WHEN 'lifecycle' THEN x.lifecycle
                WHEN 'channel' THEN coalesce(nullif(OLD.channel, ''), '(none)') WHEN 'kind' THEN OLD.kind
                ELSE CAST(coalesce(OLD.category_id, 0) AS TEXT) END,
            CASE d.per WHEN 'm' THEN strftime('%Y-%m', OLD.created_at) ELSE '' END,
            -1,
            -CASE WHEN d.per = 'm' THEN (d.dim = 'all' AND NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.created_at >= strftime('%Y-%m-01', OLD.created_at) AND G.created_at < date(OLD.created_at, 'start of month', '+1 month')))
                WHEN d.dim = 'channel' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.channel = OLD.channel)
                WHEN d.dim = 'kind' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.kind = OLD.kind)
                WHEN d.dim = 'category' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id AND G.category_id IS OLD.category_id)
                ELSE NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = OLD.customer_id AND G.id <> OLD.id) END,
            -(OLD.csat IS NOT NULL), -coalesce(OLD.csat, 0), -coalesce(OLD.csat >= 4, 0), -(OLD.nps IS NOT NULL),
            -coalesce(OLD.nps >= 9, 0), -coalesce(OLD.nps <= 6, 0), -(OLD.kind = 'complaint')
        FROM (SELECT coalesce(nullif(c.plan, ''), '(none)') AS plan, coalesce(nullif(c.region, ''), '(none)') AS region,
                coalesce(nullif(c.lifecycle, ''), '(none)') AS lifecycle
            FROM (SELECT 1) LEFT JOIN customers c ON c.id = OLD.customer_id) x, (SELECT 'all' AS dim, 'm' AS per UNION ALL SELECT 'all', '' UNION ALL SELECT 'plan', 'm' UNION ALL SELECT 'plan', '' UNION ALL SELECT 'region', 'm' UNION ALL SELECT 'region', '' UNION ALL SELECT 'lifecycle', 'm' UNION ALL SELECT 'lifecycle', '' UNION ALL SELECT 'channel', 'm' UNION ALL SELECT 'channel', '' UNION ALL SELECT 'kind', 'm' UNION ALL SELECT 'kind', '' UNION ALL SELECT 'category', 'm' UNION ALL SELECT 'category', '') d
        WHERE OLD.customer_id IS NOT NEW.customer_id OR OLD.created_at IS NOT NEW.created_at OR OLD.csat IS NOT NEW.csat OR OLD.nps IS NOT NEW.nps OR OLD.kind IS NOT NEW.kind
            OR (d.dim = 'channel' AND OLD.channel IS NOT NEW.channel)
            OR (d.dim = 'category' AND OLD.category_id IS NOT NEW.category_id)
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT d.dim,
            CASE d.dim WHEN 'all' THEN '' WHEN 'plan' THEN x.plan WHEN 'region' THEN x.region WHEN 'lifecycle' THEN x.lifecycle
                WHEN 'channel' THEN coalesce(nullif(NEW.channel, ''), '(none)') WHEN 'kind' THEN NEW.kind
                ELSE CAST(coalesce(NEW.category_id, 0) AS TEXT) END,
            CASE d.per WHEN 'm' THEN strftime('%Y-%m', NEW.created_at) ELSE '' END,
            1,
            CASE WHEN d.per = 'm' THEN (d.dim = 'all' AND NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.created_at >= strftime('%Y-%m-01', NEW.created_at) AND G.created_at < date(NEW.created_at, 'start of month', '+1 month')))
                WHEN d.dim = 'channel' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.channel = NEW.channel)
                WHEN d.dim = 'kind' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.kind = NEW.kind)
                WHEN d.dim = 'category' THEN NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id AND G.category_id IS NEW.category_id)
                ELSE NOT EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = NEW.customer_id AND G.id <> NEW.id) END,
            (NEW.csat IS NOT NULL), coalesce(NEW.csat, 0), coalesce(NEW.csat >= 4, 0), (NEW.nps IS NOT NULL),
            coalesce(NEW.nps >= 9, 0), coalesce(NEW.nps <= 6, 0), (NEW.kind = 'complaint')
        FROM (SELECT coalesce(nullif(c.plan, ''), '(none)') AS plan, coalesce(nullif(c.region, ''), '(none)') AS region,
                coalesce(nullif(c.lifecycle, ''), '(none)') AS lifecycle
            FROM (SELECT 1) LEFT JOIN customers c ON c.id = NEW.customer_id) x, (SELECT 'all' AS dim, 'm' AS per UNION ALL SELECT 'all', '' UNION ALL SELECT 'plan', 'm' UNION ALL SELECT 'plan', '' UNION ALL SELECT 'region', 'm' UNION ALL SELECT 'region', '' UNION ALL SELECT 'lifecycle', 'm' UNION ALL SELECT 'lifecycle', '' UNION ALL SELECT 'channel', 'm' UNION ALL SELECT 'channel', '' UNION ALL SELECT 'kind', 'm' UNION ALL SELECT 'kind', '' UNION ALL SELECT 'category', 'm' UNION ALL SELECT 'category', '') d
        WHERE OLD.customer_id IS NOT NEW.customer_id OR OLD.created_at IS NOT NEW.created_at OR OLD.csat IS NOT NEW.csat OR OLD.nps IS NOT NEW.nps OR OLD.kind IS NOT NEW.kind
            OR (d.dim = 'channel' AND OLD.channel IS NOT NEW.channel)
            OR (d.dim = 'category' AND OLD.category_id IS NOT NEW.category_id)
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_customer_plan;
CREATE TRIGGER summary_agg_customer_plan AFTER UPDATE OF plan ON customers
WHEN (coalesce(nullif(OLD.plan, ''), '(none)') <> coalesce(nullif(NEW.plan, ''), '(none)')) AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(OLD.plan, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(OLD.plan, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(NEW.plan, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(NEW.plan, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_customer_region;
CREATE TRIGGER summary_agg_customer_region AFTER UPDATE OF region ON customers
WHEN (coalesce(nullif(OLD.region, ''), '(none)') <> coalesce(nullif(NEW.region, ''), '(none)')) AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(OLD.region, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(OLD.region, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(NEW.region, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(NEW.region, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_customer_lifecycle;
CREATE TRIGGER summary_agg_customer_lifecycle AFTER UPDATE OF lifecycle ON customers
WHEN (coalesce(nullif(OLD.lifecycle, ''), '(none)') <> coalesce(nullif(NEW.lifecycle, ''), '(none)')) AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(OLD.lifecycle, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(OLD.lifecycle, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(f.csat >= 4), 0), -count(f.nps), -coalesce(sum(f.nps >= 9), 0), -coalesce(sum(f.nps <= 6), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(NEW.lifecycle, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(NEW.lifecycle, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;
