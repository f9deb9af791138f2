-- Migration 10: feedback attributes reachable as attr.NAME.
--
-- A ticket export's unmapped columns are kept in feedback.attrs (migration
-- 2). Segments match attr.NAME on a customer's own attrs or on any of its
-- feedback's (db/segment_sql.go attrEither), and Insights lists the keys
-- present (db/attrs.go). Both read only the feedback that has attributes at
-- all, through this partial index, so a database whose feedback carries none
-- (typed or surveyed feedback, the demo) pays one empty index probe.
CREATE INDEX feedback_with_attrs ON feedback(customer_id) WHERE attrs <> '{}';
