package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL store is the same Store, with the same queries, opened
// on a PostgreSQL 15+ database through pgx's database/sql driver. What
// differs between the engines is the dialect (s.d), chosen here:
//
//   - placeholders are rebound in the driver (pg_driver.go);
//   - the schema comes from db/migrations_pg, its version kept in the
//     rapport_meta table;
//   - every write transaction first takes one transaction-scoped advisory
//     lock (pgWriteLock), so writes are serialized exactly as SQLite's
//     BEGIN IMMEDIATE serializes them: versions and ErrStale, counters
//     and the undo log stay exact with any number of sessions on any
//     number of hosts; reads run concurrently on their own snapshots;
//   - search runs on pg_trgm indexes (pg_search.go);
//   - the summary aggregates' triggers are per statement, generated and
//     installed at Open (summary_agg_pg.go).

// pgWriteLock is the advisory lock key every write transaction takes
// ("RPPT" as an integer, as SQLite's application_id).
const pgWriteLock = applicationID

//go:embed migrations_pg/*.sql
var pgMigrationFiles embed.FS

// openPG opens a PostgreSQL database and brings its schema up to date.
// The password may come from the URL, PGPASSWORD or ~/.pgpass (pgx reads
// them); it never appears in Path or in an error.
func openPG(ctx context.Context, raw string, opts Options) (*Store, error) {
	shown := RedactURL(raw)
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		return nil, &PathError{Path: shown, Reason: "is not a usable PostgreSQL URL"}
	}
	connectionParams(cfg)
	sqldb := sql.OpenDB(newPGConnector(cfg))
	sqldb.SetMaxOpenConns(16)
	sqldb.SetMaxIdleConns(4)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: sqldb, path: shown, dsn: raw, d: dialect{pg: true}, host: net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))),
		Now: func() time.Time { return time.Now().UTC() }}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		if lostConnection(err) {
			return nil, &PathError{Path: shown, Reason: "cannot connect to " + s.host + " (is the PostgreSQL server running and reachable?)"}
		}
		return nil, &PathError{Path: shown, Reason: s.translate(err).Error()}
	}
	if err := s.migratePG(ctx, opts.MustExist, opts.OnUpgrade); err != nil {
		sqldb.Close()
		var pe *PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &PathError{Path: shown, Reason: s.translate(err).Error()}
	}
	if err := s.repairDeferredPG(ctx); err != nil { // a first load that was killed (first_load_pg.go)
		sqldb.Close()
		return nil, &PathError{Path: shown, Reason: s.translate(err).Error()}
	}
	if err := s.installAggTriggersPG(ctx); err != nil { // summary_agg_pg.go
		sqldb.Close()
		return nil, &PathError{Path: shown, Reason: s.translate(err).Error()}
	}
	return s, nil
}

// connectionParams sets what every connection of ours runs with, as
// runtime parameters of its start-up (no server setting is touched):
// jit off, because our queries are short and their plans cheap, and
// compiling one of them took longer than running it (0.38 s on a deep page
// of a million customers). A jit=… in the URL wins.
func connectionParams(cfg *pgx.ConnConfig) {
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, ok := cfg.RuntimeParams["jit"]; !ok {
		cfg.RuntimeParams["jit"] = "off"
	}
}

// pgMigrations returns PostgreSQL's embedded migrations in order.
func pgMigrations() ([]migration, error) { return readMigrations(pgMigrationFiles, "migrations_pg") }

// migratePG applies the missing PostgreSQL migrations in one transaction
// under the write lock, so two sessions starting at once cannot both
// apply them and a failure leaves the old schema. A database with tables
// but no rapport_meta is another program's; a newer schema is refused.
func (s *Store) migratePG(ctx context.Context, mustExist bool, onUpgrade func(from, to int)) error {
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	version, err := s.pgVersion(ctx)
	if err != nil {
		return err
	}
	if version > len(ms) {
		return &PathError{Path: s.path, Reason: fmt.Sprintf(
			"was written by a newer Rapport (schema %d; this one knows up to %d); upgrade Rapport", version, len(ms))}
	}
	if version == len(ms) {
		return nil
	}
	if version < 0 {
		return &PathError{Path: s.path, Reason: "holds tables of another program, not a Rapport database"}
	}
	if version == 0 && mustExist { // as a file that does not exist: a mistyped name is not made a database
		return &PathError{Path: s.path, Reason: "holds no Rapport database yet"}
	}
	if onUpgrade != nil && version > 0 {
		onUpgrade(version, len(ms))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", pgWriteLock); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS rapport_meta (
		schema_version INTEGER NOT NULL, data_version BIGINT NOT NULL DEFAULT 0)`); err != nil {
		return err
	}
	// Another session may have migrated while we looked.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rapport_meta").Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO rapport_meta(schema_version) VALUES (0)"); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT schema_version FROM rapport_meta").Scan(&version); err != nil {
		return err
	}
	for _, m := range ms[min(version, len(ms)):] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rapport_meta SET schema_version = ?", len(ms)); err != nil {
		return err
	}
	return tx.Commit()
}

// pgVersion is the schema version of the database: 0 for an empty one,
// -1 for one holding other tables.
func (s *Store) pgVersion(ctx context.Context) (int, error) {
	var meta, tables int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE table_name = 'rapport_meta'), count(*)
		FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&meta, &tables); err != nil {
		return 0, err
	}
	if meta == 0 {
		if tables > 0 {
			return -1, nil
		}
		return 0, nil
	}
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT schema_version FROM rapport_meta").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}
