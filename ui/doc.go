// Package ui is Rapport's TUI (Bubble Tea): the tabs Customers · Inbox ·
// Follow-ups · Insights · Import, the profile and item views over them,
// and the overlays (command palette, pickers, prompts, huh forms, the
// conflict view) that a screen pushes and pops.
//
// It owns:
//   - the root model (root.go, route.go, nav.go): tabs, layout, the
//     footer's help, routing a message to the screen that asked for it,
//     and the overlay stack (overlay.go);
//   - the screens, a file or a few each (customers*.go, inbox*.go,
//     followups*.go, insights*.go, importer*.go, profile*.go,
//     itemview*.go, activity.go, merge.go, recall.go), each a small
//     model with its KeyMap, Update, View and the Cmds that read and
//     write;
//   - windows onto the database (window.go: keyset pages, a row cache and
//     a count, never a whole list in memory), staying fresh after other
//     agents' writes (refresh.go, run.go's change-feed subscription);
//   - the look: Styles built from one *lipgloss.Renderer (styles.go), so an
//     SSH session draws with its own terminal's colours; keys as
//     key.Bindings with help (keys.go); width-safe text (text.go).
//
// Update never does I/O: every query, write and file read is a tea.Cmd
// that captures values, and an answer carries the id of the request it
// answers, so a stale one is dropped.
//
// What it may import: model, and the Charm libraries (bubbletea, bubbles,
// lipgloss, huh, x/ansi). It knows neither SQL nor CSV import: it declares
// the interfaces it needs from a store (Store in store.go, and the smaller
// ones beside the screens that use them) and from an importer (Importer),
// and cli and serve hand it the implementations. It never imports db,
// import, cli, serve, demo or facts (arch_test.go at the module root
// checks this); its tests may open a real db.Store.
package ui
