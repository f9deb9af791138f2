-- Migration 7: what segments and scan-based summaries read, kept where an
-- index answers it.
--
-- Each customer's latest feedback time, kept with the other derived
-- figures (db/derived_store.go, db/bulk_agg.go). Segments ask "feedback in
-- the last 90 days" (feedback_90d >= 1 and = 0) as a comparison of this
-- column instead of probing each customer's feedback: the demo's "core
-- users" (ltv >= 10000 and feedback_90d >= 1) is answered by the
-- value-and-activity index below alone, the shape an admission threshold
-- (核心用户准入门槛) usually has.
ALTER TABLE customers ADD COLUMN last_feedback_at TEXT;

UPDATE customers SET last_feedback_at = agg.t
FROM (SELECT customer_id, max(created_at) AS t FROM feedback GROUP BY customer_id) AS agg
WHERE customers.id = agg.customer_id;

CREATE INDEX customers_by_ltv_feedback ON customers(ltv, last_feedback_at);

-- Summaries the aggregates cannot answer (a --where, a city, a tag, saved
-- segments, agents) read each customer's feedback in one pass (db/summary_scan.go);
-- with the scores and the agent in feedback_by_customer that pass reads the index alone,
-- never the feedback rows with their texts.
DROP INDEX feedback_by_customer;
CREATE INDEX feedback_by_customer ON feedback(customer_id, created_at, kind, category_id, channel, csat, nps, agent);
