-- The summary aggregates' triggers ask the satisfaction rules of Go
-- (model.CSATSatisfied, NPSPromoter, NPSDetractor, registered by package db
-- as rapport_csat_sat, rapport_nps_pro and rapport_nps_det) instead of
-- restating them as `csat >= 4`, `nps >= 9` and `nps <= 6`: the rules are
-- stated once. The triggers are otherwise those of migration 6.

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
            (NEW.csat IS NOT NULL), coalesce(NEW.csat, 0), coalesce(rapport_csat_sat(NEW.csat), 0), (NEW.nps IS NOT NULL),
            coalesce(rapport_nps_pro(NEW.nps), 0), coalesce(rapport_nps_det(NEW.nps), 0), (NEW.kind = 'complaint')
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
            -(OLD.csat IS NOT NULL), -coalesce(OLD.csat, 0), -coalesce(rapport_csat_sat(OLD.csat), 0), -(OLD.nps IS NOT NULL),
            -coalesce(rapport_nps_pro(OLD.nps), 0), -coalesce(rapport_nps_det(OLD.nps), 0), -(OLD.kind = 'complaint')
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
            -(OLD.csat IS NOT NULL), -coalesce(OLD.csat, 0), -coalesce(rapport_csat_sat(OLD.csat), 0), -(OLD.nps IS NOT NULL),
            -coalesce(rapport_nps_pro(OLD.nps), 0), -coalesce(rapport_nps_det(OLD.nps), 0), -(OLD.kind = 'complaint')
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
            (NEW.csat IS NOT NULL), coalesce(NEW.csat, 0), coalesce(rapport_csat_sat(NEW.csat), 0), (NEW.nps IS NOT NULL),
            coalesce(rapport_nps_pro(NEW.nps), 0), coalesce(rapport_nps_det(NEW.nps), 0), (NEW.kind = 'complaint')
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
        SELECT 'plan', coalesce(nullif(OLD.plan, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(OLD.plan, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(NEW.plan, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'plan', coalesce(nullif(NEW.plan, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_customer_region;
CREATE TRIGGER summary_agg_customer_region AFTER UPDATE OF region ON customers
WHEN (coalesce(nullif(OLD.region, ''), '(none)') <> coalesce(nullif(NEW.region, ''), '(none)')) AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(OLD.region, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(OLD.region, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(NEW.region, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'region', coalesce(nullif(NEW.region, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;

DROP TRIGGER summary_agg_customer_lifecycle;
CREATE TRIGGER summary_agg_customer_lifecycle AFTER UPDATE OF lifecycle ON customers
WHEN (coalesce(nullif(OLD.lifecycle, ''), '(none)') <> coalesce(nullif(NEW.lifecycle, ''), '(none)')) AND NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg') BEGIN
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(OLD.lifecycle, ''), '(none)'), strftime('%Y-%m', f.created_at), -count(*), 0, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(OLD.lifecycle, ''), '(none)'), '', -count(*), -1, -count(f.csat), -coalesce(sum(f.csat), 0), -coalesce(sum(rapport_csat_sat(f.csat)), 0), -count(f.nps), -coalesce(sum(rapport_nps_pro(f.nps)), 0), -coalesce(sum(rapport_nps_det(f.nps)), 0), -coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(NEW.lifecycle, ''), '(none)'), strftime('%Y-%m', f.created_at), count(*), 0, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 3
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
    INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)
        SELECT 'lifecycle', coalesce(nullif(NEW.lifecycle, ''), '(none)'), '', count(*), 1, count(f.csat), coalesce(sum(f.csat), 0), coalesce(sum(rapport_csat_sat(f.csat)), 0), count(f.nps), coalesce(sum(rapport_nps_pro(f.nps)), 0), coalesce(sum(rapport_nps_det(f.nps)), 0), coalesce(sum(f.kind = 'complaint'), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY 1
        ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, compl_n = compl_n + excluded.compl_n;
END;
