// Package importer reads helpdesk and survey exports (CSV in any common
// encoding and delimiter), maps their columns to Rapport's fields, and
// turns their rows into customers and feedback for the store.
//
// The folder is called import/, as the project card lays it out, but
// "import" is a Go keyword and cannot name a package, so the package is
// importer: callers write `importer "github.com/rapportcrm/rapport/import"`
// or simply use the default name importer.
//
// This package holds no database code. The pipeline, in the order a file
// goes through it:
//
//   - Sniff (sniff.go): encoding from the first 64 KiB — a BOM, UTF-16 by
//     its zero bytes, valid UTF-8, GB18030 for Chinese that decodes cleanly,
//     else Windows-1252 or CP850 by which reads like words — and the
//     delimiter among , ; TAB | by how consistently it splits the first
//     records. Binary files and workbooks fail at once (ErrNotDelimited).
//   - NewDecoder (decode.go): the file as a stream of UTF-8.
//   - Reader (reader.go): records with the physical line each starts on,
//     in constant memory (a field is cut at 1 MiB and reported).
//   - Detect (headers.go, presets.go): the vendor preset and what each
//     column means; unknown columns are kept as attributes. A Mapping can
//     be changed column by column, saved and loaded as TOML.
//   - Converter (convert.go, values.go, enums.go, timeparse.go): a row
//     becomes a Record, or is rejected whole with RowErrors naming the
//     column; blank rows and repeated headers are skipped.
//   - Open and File.Next (file.go) tie these together for the store side
//     and the Import screen: what was detected, a preview, then the rows.
//
// Decisions worth knowing:
//
//   - CSAT numbers are read on 1–5. A column is read as 1–10 or 0–100 only
//     when its mapping says so or when its first rows hold many such
//     numbers (DetectCSATScale); a stray 9 in a 1–5 column is a row error,
//     not a reason to rescale the column.
//   - Numeric dates such as 03/05/2024 are month first unless a column's
//     first rows show day-first dates (DetectDateOrder) or its mapping
//     says dmy.
//   - Identity follows CONTRACT.md. When a file has no ticket id, the
//     feedback key is a hash of the row ("row:…"), so re-importing the file
//     changes nothing and rows crawled twice collapse. When it has no
//     customer id, email or phone, a name stands in ("name:…"); with no
//     customer at all, each feedback gets its own anonymous customer
//     ("anon:…").
package importer
