-- The Done section lists follow-ups by when they were closed, latest
-- first, so one closed a minute ago is at the top however old its due
-- time was. Imported done follow-ups without a close time sort by due.
CREATE INDEX followups_done_order ON followups(coalesce(done_at, due_at), id) WHERE status = 'done';
CREATE INDEX followups_done_by_assignee ON followups(assignee, coalesce(done_at, due_at), id) WHERE status = 'done';
