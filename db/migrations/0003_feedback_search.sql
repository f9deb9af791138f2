-- Feedback full-text search (trigram), filled in by the classify work.
SELECT 1;
