package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Store is what an import needs from the database: one call per batch,
// applied in one transaction (rolled back when dryRun).
type Store interface {
	ImportBatch(ctx context.Context, agent, source string, recs []model.ImportRecord, dryRun bool) (model.ImportCounts, error)
}

// FirstLoader is a store that can defer its secondary indexes while a
// large file loads into an empty database (db.Store does).
type FirstLoader interface {
	BeginFirstLoad(ctx context.Context) (bool, error)
	EndFirstLoad(ctx context.Context) error
}

// RunRecorder is a store that remembers each file's import (import_runs;
// db.Store does).
type RunRecorder interface {
	RecordImportRun(ctx context.Context, run model.ImportRun) (int64, error)
}

// OldestDater is a store that knows its oldest feedback's date (db.Store
// does): feedback without a date is dated just before it.
type OldestDater interface {
	OldestFeedbackAt(ctx context.Context) (time.Time, bool, error)
}

// UndatedKeeper is a store that keeps feedback without a date below every
// dated item as older dated feedback arrives (db.Store does).
type UndatedKeeper interface {
	KeepUndatedBelow(ctx context.Context, agent string) (int, error)
}

// firstLoadBatch is a first load's batch: its rows are mostly one
// multi-row INSERT each, so fewer, larger transactions cost less (about
// 10 MB of records held at once). A var: tests use small batches.
var firstLoadBatch = 10000

// batchSize is an import's batch otherwise (a var for the same tests).
var batchSize = 2000

// firstLoadBytes is the file size from which a first load defers indexes.
var firstLoadBytes int64 = 1 << 20 // a var: tests take the first-load path with small files

// Options steer one file's import.
type Options struct {
	ReadOptions
	Source string         // the system the ids come from; default: the preset's name
	Loc    *time.Location // zone of times without one; default local
	Agent  string
	DryRun bool
	// Progress hears rows imported so far and bytes read; rows is -1
	// during the first pass, which reads the file once to find each
	// customer's last row.
	Progress func(rows int, read int64)
	// Preset names the export format ("" or "auto": detect it).
	Preset string
	// Columns overrides the detected meaning of columns, by header (as
	// written, or alike ignoring case and punctuation): a field, or
	// FieldNone to keep the column as an attribute. See LoadMapping.
	Columns map[string]Field
	// Scales sets the scale of score columns, by header (as Columns
	// finds them): a column so set is read on that scale, whatever its
	// sample showed (see Scale). It applies after Columns and Fields.
	Scales map[string]Scale
	// ColumnScales, when set, gives the scale of each column in order
	// (ScaleAuto: as decided), as Fields gives fields.
	ColumnScales []Scale
	// Fields, when set, replaces the whole mapping, one field per column
	// (the TUI's re-mapped columns).
	Fields []Field
	// Mapping, when set, receives the mapping used (for --save-map).
	Mapping func(header []string, m Mapping)
	// Rejected, when set, hears every rejected row as it is rejected —
	// its fields as read (none when the row could not be parsed) and the
	// reason — so that --errors holds them all in constant memory;
	// FileReport.RejectedRows then stays empty.
	Rejected func(header []string, line int, fields []string, reason string)
}

// FileReport is one file's outcome, as the contract's JSON report has it.
type FileReport struct {
	File      string     `json:"file"`
	Preset    string     `json:"preset"`
	Encoding  string     `json:"encoding"`
	Delimiter string     `json:"delimiter"`
	Source    string     `json:"source"`
	Errors    []RowError `json:"errors"`
	// ErrorsOmitted is how many rejected rows Errors leaves out (it keeps
	// the first maxErrors); the --errors file has them all.
	ErrorsOmitted int `json:"errors_omitted"`
	model.ImportCounts
	Findings
	// Rejected rows as read (the first maxErrors), for callers that set
	// no Options.Rejected.
	Header       []string   `json:"-"`
	RejectedRows [][]string `json:"-"`
}

const (
	sampleRows = 500 // rows read before deciding what each column means
	maxErrors  = 10000
)

// Run imports one file. Bad rows are reported and skipped, never
// half-applied; a file that is not delimited text fails at once and
// stores nothing.
func Run(ctx context.Context, st Store, path string, opts Options) (_ FileReport, retErr error) {
	rep := FileReport{File: path, Preset: "auto", Errors: []RowError{},
		Findings: Findings{Columns: []Column{}, UnknownValues: []UnknownValue{}, Notes: []string{}}}
	src, err := OpenSource(path, opts.ReadOptions)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	rep.Encoding, rep.Delimiter, rep.Header = src.Encoding, string(src.Delimiter), src.Header
	mapping, err := DetectMapping(src.Header, opts.Preset)
	if err != nil {
		return rep, err
	}
	if err := mapping.Override(src.Header, opts.Columns); err != nil {
		return rep, fmt.Errorf("%s: %w", path, err)
	}
	var sample []Row
	for len(sample) < sampleRows {
		r, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rep.reject(path, r, err, opts.Rejected)
			continue
		}
		r.Fields = append([]string{}, r.Fields...)
		sample = append(sample, r)
	}
	fixed := mapping.fixed
	if opts.Fields != nil {
		if len(opts.Fields) != len(src.Header) {
			return rep, fmt.Errorf("%s: the mapping has %d columns, the file %d", path, len(opts.Fields), len(src.Header))
		}
		mapping.Fields = append([]Field(nil), opts.Fields...)
		fixed = map[int]bool{}
		for i := range opts.Fields {
			fixed[i] = true
		}
	}
	if fixed, err = mapping.applyScales(src.Header, opts.Scales, opts.ColumnScales, fixed); err != nil {
		return rep, fmt.Errorf("%s: %w", path, err)
	}
	// What each column means is decided once, from its header and its
	// values in the sample.
	mapping.Decide(src.Header, sample, fixed)
	if mapping.presetName == "" && (opts.Preset == "" || opts.Preset == "auto") {
		mapping.Preset = genericKind(mapping.Fields)
	}
	rep.Preset = mapping.Preset
	rep.Columns = mapping.Columns
	if opts.Mapping != nil {
		opts.Mapping(src.Header, mapping)
	}
	// The system the ids come from: by default the preset's (CONTRACT),
	// so that two exports of one helpdesk share their ids.
	source := opts.Source
	if source == "" {
		source = mapping.DefaultSource(src.Header, opts.Preset)
	}
	rep.Source = source
	loc := opts.Loc
	if loc == nil {
		loc = time.Local
	}
	conv := NewConverter(path, src.Header, mapping, loc)

	// Which row is each customer's last in the file: only that one may
	// change the customer's fields, so rows that disagree cannot flip a
	// customer back and forth, and importing the file again changes nothing.
	var scanned func(read int64)
	if opts.Progress != nil {
		scanned = func(read int64) { opts.Progress(-1, read) }
	}
	last, oldest, err := lastRows(ctx, path, opts.ReadOptions, conv, scanned)
	if err != nil {
		return rep, err
	}
	fileDated := !oldest.IsZero()
	// Feedback without a creation date is dated one second before the
	// oldest feedback, of the database or of this file (the import's
	// time when there is none), so it sorts below every dated item instead
	// of on top of the Inbox; it is flagged undated (README).
	if od, ok := st.(OldestDater); ok {
		if t, ok, err := od.OldestFeedbackAt(ctx); err != nil {
			return rep, err
		} else if ok && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	var undatedAt time.Time
	if !oldest.IsZero() {
		undatedAt = oldest.Add(-time.Second)
	}
	if rr, ok := st.(RunRecorder); ok && !opts.DryRun {
		started := time.Now()
		defer func() { // also when stopped early: what was committed stays, and so does its record
			run := model.ImportRun{File: path, Preset: rep.Preset, Encoding: rep.Encoding, Delimiter: rep.Delimiter,
				Source: rep.Source, Agent: opts.Agent, StartedAt: started, FinishedAt: time.Now(), ImportCounts: rep.ImportCounts}
			for _, e := range rep.Errors[:min(5, len(rep.Errors))] {
				run.ErrorSample = append(run.ErrorSample, e.Error())
			}
			if _, err := rr.RecordImportRun(context.WithoutCancel(ctx), run); err != nil && retErr == nil {
				retErr = err
			}
		}()
	}
	// Dated feedback older than undated rows already stored (a file
	// without dates imported first) pushes them below it once the file is
	// in: after the first load's indexes are back (defers run last first).
	if ku, ok := st.(UndatedKeeper); ok && !opts.DryRun && fileDated {
		defer func() {
			if retErr == nil {
				_, retErr = ku.KeepUndatedBelow(context.WithoutCancel(ctx), opts.Agent)
			}
		}()
	}
	limit := batchSize // rows per ImportBatch
	if fl, ok := st.(FirstLoader); ok && !opts.DryRun && len(sample) > 0 {
		if fi, err := os.Stat(path); err == nil && fi.Size() >= firstLoadBytes {
			dropped, err := fl.BeginFirstLoad(ctx)
			if err != nil {
				return rep, err
			}
			if dropped {
				limit = firstLoadBatch
				defer boundGoMemory()() // (deferred first: it still holds while the indexes are built)
				defer func() {
					// The batches' memory goes back to the system before
					// SQLite's index builds take theirs (memory.go).
					releaseGoMemory()
					if err := fl.EndFirstLoad(context.WithoutCancel(ctx)); err != nil && retErr == nil {
						retErr = err
					}
				}()
			}
		}
	}

	var batch []model.ImportRecord
	var batchFields [][]string // each record's row as read, for the rows the store refuses
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		counts, err := st.ImportBatch(ctx, opts.Agent, source, batch, opts.DryRun)
		if err != nil {
			return err
		}
		// Rows the store refused (one person's identity on two customers)
		// are row errors like the converter's.
		for _, e := range counts.Rejected {
			rep.addError(RowError{File: path, Line: e.Line, Column: e.Column, Reason: e.Reason})
			for i := range batch {
				if batch[i].Line == e.Line {
					if opts.Rejected != nil {
						opts.Rejected(src.Header, e.Line, batchFields[i], e.Reason)
					} else {
						rep.RejectedRows = appendRow(rep.RejectedRows, batchFields[i], e.Reason)
					}
					break
				}
			}
		}
		counts.Rejected = nil
		rep.ImportCounts.Add(counts)
		batch, batchFields = batch[:0], batchFields[:0]
		return nil
	}
	handle := func(r Row, rec model.ImportRecord, rerr *RowError, note RowNote, read int64) error {
		rep.Rows++
		if rerr == nil {
			rep.note(note, rec)
			if note.Undated && rec.Feedback != nil {
				rec.UndatedAt = undatedAt
			}
			if rec.Feedback == nil && note.NoPerson {
				// nothing of a person and no feedback: nothing to store; like
				// a blank row it is skipped, not a row of data
				rep.Rows--
				rep.Skipped++
				return nil
			}
		}
		if id := rec.CustomerIdentity(); rerr == nil && id != "" && last[id] != rec.Line {
			rec.CustomerRef = true
		}
		if rerr != nil {
			rep.addError(*rerr)
			rep.ImportCounts.Errors++
			if opts.Rejected != nil {
				opts.Rejected(src.Header, r.Line, r.Fields, rerr.Reason)
			} else {
				rep.RejectedRows = appendRow(rep.RejectedRows, r.Fields, rerr.Reason)
			}
			return nil
		}
		// A full batch is sent before the next record, unless that record
		// continues the same ticket: its rows stay in one batch.
		if len(batch) >= limit && (rec.Feedback == nil || rec.FeedbackKey != batch[len(batch)-1].FeedbackKey) {
			if opts.Progress != nil {
				opts.Progress(rep.Rows, read)
			}
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, rec)
		batchFields = append(batchFields, r.Fields)
		return nil
	}
	for _, r := range sample {
		rec, rerr := conv.Convert(r)
		if err := handle(r, rec, rerr, conv.Note, src.BytesRead()); err != nil {
			return rep, err
		}
	}
	// The rest is read and converted on another goroutine while this one
	// writes (ahead.go).
	stop := make(chan struct{})
	rest := convertAhead(src, conv, stop, limit/2) // half a batch: the memory bound (memory.go)
	defer func() {
		close(stop)
		for range rest { // the source is closed only after the reader is done with it
		}
	}()
	for chunk := range rest {
		for _, c := range chunk {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			if c.readErr == io.EOF {
				break
			}
			if c.readErr != nil {
				rep.reject(path, c.row, c.readErr, opts.Rejected)
				continue
			}
			if err := handle(c.row, c.rec, c.rerr, c.note, c.read); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	rep.Skipped += src.Skipped
	rep.finish(mapping)
	return rep, nil
}

// lastRows reads the file once more, converting each row as the import
// will, and returns the line of each customer's last row and the oldest
// creation date of the file's feedback.
func lastRows(ctx context.Context, path string, ro ReadOptions, conv *Converter, progress func(read int64)) (map[string]int, time.Time, error) {
	var oldest time.Time
	src, err := OpenSource(path, ro)
	if err != nil {
		return nil, oldest, err
	}
	defer src.Close()
	last := map[string]int{}
	for n := 0; ; n++ {
		if n%10000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, oldest, err
			}
			if progress != nil {
				progress(src.BytesRead())
			}
		}
		r, err := src.Next()
		if err == io.EOF {
			return last, oldest, nil
		}
		if err != nil {
			continue
		}
		if rec, rerr := conv.Convert(r); rerr == nil {
			if id := rec.CustomerIdentity(); id != "" {
				last[id] = rec.Line
			}
			if f := rec.Feedback; f != nil && !f.CreatedAt.IsZero() && (oldest.IsZero() || f.CreatedAt.Before(oldest)) {
				oldest = f.CreatedAt
			}
		}
	}
}

// reject counts a row that could not be read as a record.
func (rep *FileReport) reject(path string, r Row, err error, sink func(header []string, line int, fields []string, reason string)) {
	rep.Rows++
	rep.ImportCounts.Errors++
	reason := err.Error()
	if i := strings.Index(reason, ": "); i >= 0 && strings.HasPrefix(reason, path) {
		reason = reason[i+2:]
	}
	rep.addError(RowError{File: path, Line: r.Line, Reason: reason})
	if sink != nil {
		sink(rep.Header, r.Line, r.Fields, reason)
	}
}

// addError lists a rejected row, or counts it as omitted once the list is
// full.
func (rep *FileReport) addError(e RowError) {
	if len(rep.Errors) >= maxErrors {
		rep.ErrorsOmitted++
		return
	}
	rep.Errors = append(rep.Errors, e)
}

func appendRow(rows [][]string, fields []string, reason string) [][]string {
	if len(rows) >= maxErrors {
		return rows
	}
	return append(rows, append(append([]string{}, fields...), reason))
}

// IsNotDelimited tells a file that is not delimited text at all.
func IsNotDelimited(err error) bool { return errors.Is(err, ErrNotDelimited) }
