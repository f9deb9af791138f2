// Package cli is Rapport's command line: the cobra command tree that main
// runs (Execute), which opens the store the global flags name and either
// starts the TUI or runs one scriptable command.
//
// It owns:
//   - the commands, one file per family (customers.go, feedback.go,
//     classify.go, segments.go, followups.go, campaign.go, import.go,
//     export.go, merge.go, audit.go, demand.go, demo.go, serve.go, …);
//   - the contract of CONTRACT.md as the commands see it: contract.go holds
//     the JSON shapes, root.go the exit codes and how an error is worded,
//     output.go the table, CSV and JSON writers;
//   - what every command shares, said once in command.go: the --format
//     flag (formatFlag), the report of one result in JSON or one line
//     (printResult), the frame of a write (withAgentStore: the agent, then
//     the store), a listing and its `list` twin (listCommand), --limit and
//     --offset (pageOpts) and id arguments (parseIDs);
//   - the process's outside world (env: streams, environment, terminals),
//     so that tests run a command line in-process with buffers.
//
// Commands use the store through model.Store; the SQLite store is named
// only where one is opened (root.go openStore, the dry-run copy in
// import.go), generated (demo.go) or served (serve.go). The importer is
// used through package importer, and the TUI through ui.Run and ui.Options.
// It holds no SQL and no domain rule: validation, sanitising and the
// figures belong to model, their storage to db.
//
// What it may import: any package of the module (it is where they are
// wired together), cobra and pflag; only main imports cli (arch_test.go at
// the module root checks this).
package cli
