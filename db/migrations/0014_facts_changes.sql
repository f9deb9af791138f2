-- The change journal of the Insights snapshot (package facts): every
-- write that changes what a summary counts appends the customer it touched
-- (a feedback row's customer, a customer's dimensions, attributes or tags),
-- and a process holding a snapshot reads only the journal since the
-- position its snapshot reflects and reads those customers again
-- (db/facts_refresh.go), instead of reading 5M feedback rows after every
-- commit. A NULL customer_id means "read everything again" (a tag or
-- category renamed, a first load that wrote without the triggers).
--
-- The triggers stand aside while bulk_load holds a 'facts' row: a first
-- load or a copy writes one, and a NULL row, in each of its batches.
-- The journal keeps its last 262,144 entries: a snapshot older than that
-- reads everything again, as it would for so big a change anyway.
CREATE TABLE facts_changes (
    seq         INTEGER PRIMARY KEY,
    customer_id INTEGER
);

CREATE TRIGGER facts_changes_trim AFTER INSERT ON facts_changes
WHEN NEW.seq % 1024 = 0 BEGIN
    DELETE FROM facts_changes WHERE seq <= NEW.seq - 262144;
END;

CREATE TRIGGER facts_customer_ai AFTER INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NEW.id);
END;
CREATE TRIGGER facts_customer_ad AFTER DELETE ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.id);
END;
-- The customer dimensions of model.SummaryDims (facts.CustomerDims) and
-- attrs (attr.NAME); TestFactsJournalCoversTheDimensions checks the list.
CREATE TRIGGER facts_customer_au AFTER UPDATE OF id, plan, region, city, lifecycle, language, attrs ON customers
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts')
    AND (OLD.id IS NOT NEW.id OR OLD.plan IS NOT NEW.plan OR OLD.region IS NOT NEW.region OR OLD.city IS NOT NEW.city
         OR OLD.lifecycle IS NOT NEW.lifecycle OR OLD.language IS NOT NEW.language OR OLD.attrs IS NOT NEW.attrs) BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.id);
    INSERT INTO facts_changes(customer_id) SELECT NEW.id WHERE NEW.id IS NOT OLD.id;
END;

CREATE TRIGGER facts_feedback_ai AFTER INSERT ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NEW.customer_id);
END;
CREATE TRIGGER facts_feedback_ad AFTER DELETE ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.customer_id);
END;
-- What the snapshot holds of a feedback: its customer, time, scores, the
-- feedback dimensions of model.SummaryDims (facts.FeedbackDims) and attrs.
CREATE TRIGGER facts_feedback_au AFTER UPDATE OF id, customer_id, created_at, csat, nps, channel, kind, category_id, agent, source, attrs ON feedback
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts')
    AND (OLD.id IS NOT NEW.id OR OLD.customer_id IS NOT NEW.customer_id OR OLD.created_at IS NOT NEW.created_at
         OR OLD.csat IS NOT NEW.csat OR OLD.nps IS NOT NEW.nps OR OLD.channel IS NOT NEW.channel OR OLD.kind IS NOT NEW.kind
         OR OLD.category_id IS NOT NEW.category_id OR OLD.agent IS NOT NEW.agent OR OLD.source IS NOT NEW.source
         OR OLD.attrs IS NOT NEW.attrs) BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.customer_id);
    INSERT INTO facts_changes(customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT OLD.customer_id;
END;

CREATE TRIGGER facts_customer_tags_ai AFTER INSERT ON customer_tags
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NEW.customer_id);
END;
CREATE TRIGGER facts_customer_tags_ad AFTER DELETE ON customer_tags
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.customer_id);
END;
CREATE TRIGGER facts_customer_tags_au AFTER UPDATE ON customer_tags
WHEN NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'facts') BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (OLD.customer_id);
    INSERT INTO facts_changes(customer_id) SELECT NEW.customer_id WHERE NEW.customer_id IS NOT OLD.customer_id;
END;

-- A renamed or deleted tag or category changes the group of many rows:
-- everything is read again.
CREATE TRIGGER facts_tags_au AFTER UPDATE OF name ON tags WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NULL);
END;
CREATE TRIGGER facts_tags_ad AFTER DELETE ON tags BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NULL);
END;
CREATE TRIGGER facts_categories_au AFTER UPDATE OF path ON categories WHEN OLD.path IS NOT NEW.path BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NULL);
END;
CREATE TRIGGER facts_categories_ad AFTER DELETE ON categories BEGIN
    INSERT INTO facts_changes(customer_id) VALUES (NULL);
END;

-- The refresh reads a touched customer's feedback through
-- feedback_by_customer; with source in it too, the index alone answers (a
-- bulk edit touching 10,000 customers spread over a 5M-row table reads
-- their rows from the index instead of 50,000 table pages).
DROP INDEX feedback_by_customer;
CREATE INDEX feedback_by_customer ON feedback(customer_id, created_at, kind, category_id, channel, csat, nps, agent, source);

-- A snapshot read before this migration knows no position: start with a
-- mark that reads everything again.
INSERT INTO facts_changes(customer_id) VALUES (NULL);
