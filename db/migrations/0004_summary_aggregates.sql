-- Aggregates kept current on write for summaries, filled in by the summary work.
SELECT 1;
