-- Reserved for another change in the same round (saved views); that
-- change replaces this file. Numbers must stay contiguous.
SELECT 1;
