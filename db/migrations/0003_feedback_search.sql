-- Feedback search, the Inbox's filters and the default taxonomy (issue 5).

-- Substring search over subject and body, Chinese included. detail='none'
-- keeps the index a quarter of the size of a positional one: a query ANDs
-- the trigrams of a term and confirms each hit with LIKE (feedback_search.go).
CREATE VIRTUAL TABLE feedback_fts USING fts5(
    subject, body, content='feedback', content_rowid='id', tokenize='trigram', detail='none');
INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild');

-- Two-character Chinese terms (退款, 物流) are below the trigram tokenizer's
-- reach: this table holds the CJK bigrams of subject and body, made by the
-- store's rapport_cjk_bigrams function (registered in feedback_search.go).
CREATE VIRTUAL TABLE feedback_grams USING fts5(
    grams, content='', contentless_delete=1, tokenize='unicode61', detail='none');
INSERT INTO feedback_grams(rowid, grams)
    SELECT id, g FROM (SELECT id, rapport_cjk_bigrams(subject, body) AS g FROM feedback) WHERE g <> '';

CREATE TRIGGER feedback_fts_ai AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
    INSERT INTO feedback_grams(rowid, grams)
        SELECT new.id, g FROM (SELECT rapport_cjk_bigrams(new.subject, new.body) AS g) WHERE g <> '';
END;
CREATE TRIGGER feedback_fts_ad AFTER DELETE ON feedback BEGIN
    INSERT INTO feedback_fts(feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
    DELETE FROM feedback_grams WHERE rowid = old.id;
END;
CREATE TRIGGER feedback_fts_au AFTER UPDATE OF subject, body ON feedback
WHEN old.subject IS NOT new.subject OR old.body IS NOT new.body BEGIN
    INSERT INTO feedback_fts(feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
    INSERT INTO feedback_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
    DELETE FROM feedback_grams WHERE rowid = old.id;
    INSERT INTO feedback_grams(rowid, grams)
        SELECT new.id, g FROM (SELECT rapport_cjk_bigrams(new.subject, new.body) AS g) WHERE g <> '';
END;

-- The Inbox's default order puts open, unclassified items first: this
-- small partial index is that group, newest first.
CREATE INDEX feedback_unclassified ON feedback(created_at, id) WHERE status = 'open' AND category_id IS NULL;
-- Filters by category (also what removing a category checks) and by agent
-- ("mine") read their own range in list order.
CREATE INDEX feedback_by_category ON feedback(category_id, created_at, id);
CREATE INDEX feedback_by_agent ON feedback(agent, created_at, id);

-- Undo of bulk edits: one row per action, one per item it changed with the
-- item's version after the change and the fields' values before it.
CREATE TABLE feedback_actions (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    agent    TEXT NOT NULL,
    items    INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT
);
CREATE TABLE feedback_action_items (
    action_id   INTEGER NOT NULL REFERENCES feedback_actions(id) ON DELETE CASCADE,
    feedback_id INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    before      TEXT NOT NULL, -- JSON: status, priority, kind, category_id, resolved_at, tags added/removed
    PRIMARY KEY (action_id, feedback_id)
) WITHOUT ROWID;
CREATE INDEX feedback_action_items_by_feedback ON feedback_action_items(feedback_id);

-- The default taxonomy, in English and in Chinese; existing categories
-- (any case) are kept as they are.
INSERT OR IGNORE INTO categories(parent_id, name, path)
    SELECT NULL, column1, column1 FROM (VALUES
        ('Billing'), ('Product'), ('Account'), ('Delivery'), ('Service'),
        ('账单'), ('产品'), ('账号'), ('物流'), ('服务'), ('售后'));
INSERT OR IGNORE INTO categories(parent_id, name, path)
    SELECT p.id, v.column2, p.path || '/' || v.column2
    FROM (VALUES
        ('Billing', 'Refund'), ('Billing', 'Invoice'), ('Billing', 'Payment'),
        ('Product', 'Bug'), ('Product', 'Feature request'), ('Product', 'Usability'),
        ('Account', 'Login'), ('Account', 'Privacy'),
        ('Delivery', 'Delay'), ('Delivery', 'Damaged'),
        ('Service', 'Attitude'), ('Service', 'Response time'),
        ('账单', '退款'), ('账单', '发票'), ('账单', '支付'),
        ('产品', '故障'), ('产品', '功能建议'), ('产品', '质量'),
        ('账号', '登录'), ('账号', '隐私'),
        ('物流', '延迟'), ('物流', '破损'),
        ('服务', '态度'), ('服务', '响应速度'),
        ('售后', '退换货')) AS v
    JOIN categories p ON p.path = v.column1;
