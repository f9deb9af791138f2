-- Migration 8: saved views. A view is a screen's filters and search saved
-- under a name ("my open complaints", "unclassified 华东"), shared by the
-- team that shares the file; created_by says whose it is. filters is a JSON
-- object of the screen's filter fields (see model.SavedView).
CREATE TABLE saved_views (
    id          INTEGER PRIMARY KEY,
    screen      TEXT NOT NULL DEFAULT 'inbox',
    name        TEXT NOT NULL COLLATE NOCASE,
    filters     TEXT NOT NULL DEFAULT '{}',
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (screen, name)
);
