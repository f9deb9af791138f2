-- The change journal of the Insights snapshot (migration 14) names, for a
-- write to a feedback row, that row too: facts_changes.feedback_id. A
-- refresh then reads again only the feedback rows the journal names and
-- keeps everything else of their customers from the snapshot
-- (db/facts_refresh.go, facts.Update.Keep), whichever process wrote: a
-- bulk edit of 10,000 feedback spread over 5M rows reads those 10,000
-- rows, not every row of some 10,000 customers. An entry without a
-- feedback_id (a customer's row, attributes or tags changed, or a
-- feedback row that changed its id) still reads its customer in full.
--
-- The triggers are migration 14's, standing aside the same way; each
-- still appends one entry per customer a row touched, so a write costs
-- what it did.
ALTER TABLE facts_changes ADD COLUMN feedback_id INTEGER;

DROP TRIGGER facts_feedback_ai;
CREATE TRIGGER facts_feedback_ai AFTER INSERT ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id, feedback_id) VALUES (NEW.customer_id, NEW.id);
END;
DROP TRIGGER facts_feedback_ad;
CREATE TRIGGER facts_feedback_ad AFTER DELETE ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id, feedback_id) VALUES (OLD.customer_id, OLD.id);
END;
-- What the snapshot holds of a feedback: its customer, time, scores, the
-- feedback dimensions of model.SummaryDims (facts.FeedbackDims) and attrs.
DROP TRIGGER facts_feedback_au;
CREATE TRIGGER facts_feedback_au AFTER UPDATE OF id, customer_id, created_at, csat, nps, channel, kind, category_id, agent, source, attrs ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts')
    AND (OLD.id IS NOT NEW.id OR OLD.customer_id IS NOT NEW.customer_id OR OLD.created_at IS NOT NEW.created_at
         OR OLD.csat IS NOT NEW.csat OR OLD.nps IS NOT NEW.nps OR OLD.channel IS NOT NEW.channel OR OLD.kind IS NOT NEW.kind
         OR OLD.category_id IS NOT NEW.category_id OR OLD.agent IS NOT NEW.agent OR OLD.source IS NOT NEW.source
         OR OLD.attrs IS NOT NEW.attrs) BEGIN
    INSERT INTO facts_changes(customer_id, feedback_id) VALUES (OLD.customer_id, CASE WHEN NEW.id = OLD.id THEN OLD.id END);
    INSERT INTO facts_changes(customer_id, feedback_id)
        SELECT NEW.customer_id, CASE WHEN NEW.id = OLD.id THEN NEW.id END
        WHERE NEW.customer_id IS NOT OLD.customer_id OR NEW.id IS NOT OLD.id;
END;
