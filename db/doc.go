// Package db is Rapport's store, over SQLite or PostgreSQL (one engine, the
// dialect in s.d), and the only package that speaks SQL.
//
// What it may import: model (the contract it implements and the rules it
// stores figures by), facts (the Insights snapshot it keeps), the database
// drivers and the standard library. Never ui, cli, import, serve or demo
// (arch_test.go at the module root checks this); its tests also use
// db/storetest, db/pgtest and demo.
//
// It opens the file with the pragmas a shared file needs (WAL, busy_timeout,
// foreign keys, BEGIN IMMEDIATE for writes), applies the embedded migrations
// under PRAGMA user_version, and answers the questions the UI, the CLI and
// the importer ask, in terms of package model. No *sql.DB, driver error or
// SQL text leaves this package: driver errors become model.ErrNotFound,
// ErrStale, ErrBusy, ErrConflict or ErrInvalid.
//
// What it owns, and where:
//
//   - The engine: db.go (open, pragmas, the write and read transactions),
//     migrate.go and migrations/, errors.go, guard.go (roles), stmtcache.go,
//     timefmt.go (how times are stored), keyset.go (keyset pages), backup.go,
//     dryrun.go, fs_linux.go and fs_other.go, contract.go.
//   - Customers: customer_store.go (one customer: read, create, update,
//     tags), customer_list.go (windowed lists and counts), identity.go,
//     duplicates.go, merge.go, unmerge.go, merge_undo.go, attrs.go, values.go.
//   - The cached per-customer figures: customer_figures.go states them once
//     (writeFigures, called by every write path inside its transaction) and
//     checks them against the rows (CheckCaches, `rapport doctor`).
//   - Feedback: feedback_store.go (one item, add, list), feedback_page.go
//     (the Inbox's pages), feedback_query.go, feedback_search.go, grams.go
//     (CJK bigrams), fold_ascii.go and fold_search.go (the case rules of
//     search and ~ on both stores), item_store.go (the item view), classify_store.go,
//     feedback_editor.go and feedback_batch.go (bulk edits), category_store.go,
//     rule_store.go.
//   - Notes, follow-ups and campaigns: note_followup_store.go (add a note or
//     a follow-up, mark one done, the status bar's counts), followup_store.go
//     (pages, snooze, reassign), campaign_store.go (recall).
//   - Segments and summaries: segments.go, segment_sql.go (the segment
//     language compiled to SQL), segment_refs.go, view_store.go, summary.go,
//     summary_scan.go, summary_dims.go (the one table of dimensions: each
//     one's column, and which the aggregates keep), summary_agg.go (the
//     aggregate cache), summary_agg_triggers.go (its triggers, generated
//     from that table and installed at Open; summary_agg_pg.go on
//     PostgreSQL), summary_agg_batch.go
//     (keeping it during batch writes), demand.go; the Insights snapshot
//     (package facts): facts_load.go (the full read), facts_cache.go (when
//     to read, the summaries of one snapshot), facts_refresh.go (the change
//     journal of migrations 14 and 16 and the incremental refresh),
//     facts_patch.go (read again only the feedback rows the journal names),
//     facts_attrs.go (attr.NAME columns from the snapshot's attributes).
//   - Imports: import_store.go (the import sink's batches), import_undated.go,
//     import_runs.go, bulk_index.go and first_load.go (deferred indexing),
//     first_load_batch.go (a first load's batches), first_load_customers.go
//     (customers proven new, created set-based), first_load_sink.go (their
//     buffered rows: multi-row INSERTs, COPY on PostgreSQL), first_load_pg.go,
//     bulk_schema.go (dropping and restoring secondary indexes around a load).
//   - History and change: audit_store.go, timeline_store.go, undo_store.go,
//     undo_check.go, undo_replay.go, undo_describe.go, feed.go, watch.go and
//     pg_listen.go (the change feed; LISTEN/NOTIFY on PostgreSQL).
//   - The demo load: demo_load.go (LoadDemo: a model.DemoSource, such as
//     package demo's generator, written through the fast path), demo_rows.go
//     (values to rows), demo_insert.go (prepared multi-row inserts).
package db
