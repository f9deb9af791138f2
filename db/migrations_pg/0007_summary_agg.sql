-- The summary aggregates, as SQLite's migration 5: per dimension that
-- db/summary_dims.go marks agg, per key and month ('' all time), what the
-- summaries need to be computed by package model's rules (db/summary_agg.go
-- reads them). The triggers that keep the table and their functions are
-- generated in Go from the same dimension list and installed at Open
-- (db/summary_agg_pg.go), which also fills the table from the rows then.
-- Unlike SQLite's, a cell may have several rows, which add up: a write
-- appends its change rather than update the cell's row (read there why),
-- and the rows are folded from time to time; so no primary key.
CREATE TABLE summary_agg (
    dim      TEXT COLLATE "C" NOT NULL,
    key      TEXT COLLATE "C" NOT NULL,
    month    TEXT COLLATE "C" NOT NULL,
    fb_n     BIGINT NOT NULL DEFAULT 0,
    cust_n   BIGINT NOT NULL DEFAULT 0,
    csat_n   BIGINT NOT NULL DEFAULT 0,
    csat_sum BIGINT NOT NULL DEFAULT 0,
    csat_sat BIGINT NOT NULL DEFAULT 0,
    nps_n    BIGINT NOT NULL DEFAULT 0,
    nps_pro  BIGINT NOT NULL DEFAULT 0,
    nps_det  BIGINT NOT NULL DEFAULT 0,
    compl_n  BIGINT NOT NULL DEFAULT 0
);
