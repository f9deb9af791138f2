// Package importer reads helpdesk and survey exports (CSV in any common
// encoding and delimiter), maps their columns to Rapport's fields, and
// streams the rows into the store.
//
// It also owns what the front ends need around an import: the file of
// rejected rows, ready to fix and import again (RejectedWriter, FreeName),
// and the TUI's Import tab service (Service: inspect a file, import it
// with the user's mapping and scales, report), which satisfies ui.Importer
// so that ui knows neither CSV nor SQL.
//
// What it may import: model (the store is always one of the interfaces in
// run.go — Store, FirstLoader, RunRecorder, … — or model.Store, which also
// says where files beside the database go: FilesDir), the text-encoding
// and TOML libraries and the standard library. Never db, ui, cli, serve,
// demo or facts (arch_test.go at the module root checks this; its tests
// may use db to open real stores).
//
// The folder is called import/, as the project card lays it out, but
// "import" is a Go keyword and cannot name a package, so the package is
// importer: callers write `importer "github.com/rapportcrm/rapport/import"`
// or simply use the default name importer.
package importer
