-- Reserved while the summary aggregates were written; they are migration 5.
SELECT 1;
