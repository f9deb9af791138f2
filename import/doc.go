// Package importer reads helpdesk and survey exports (CSV in any common
// encoding and delimiter), maps their columns to Rapport's fields, and
// streams the rows into the store.
//
// The folder is called import/, as the project card lays it out, but
// "import" is a Go keyword and cannot name a package, so the package is
// importer: callers write `importer "github.com/rapportcrm/rapport/import"`
// or simply use the default name importer.
package importer
