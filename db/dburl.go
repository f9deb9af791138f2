package db

import (
	"net/url"
	"path/filepath"
	"strings"
)

// A database is named by a file path (SQLite) or by a postgres:// or
// postgresql:// URL (PostgreSQL). The URL is passed to the driver
// unchanged; only messages see it, and only without its password
// (RedactURL), which may also come from PGPASSWORD or ~/.pgpass.

// IsURL reports whether name is a PostgreSQL connection URL rather than
// a file path.
func IsURL(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// RedactURL is name as it may be shown to a person: a file path as it is,
// a URL without a password in its user info or its query (password=…),
// which is replaced by "xxxxx" so that a reader sees one was given. A URL
// that does not parse is shown as its scheme and host only, when those
// can be found, never as the raw text.
func RedactURL(name string) string {
	if !IsURL(name) {
		return name
	}
	u, err := url.Parse(name)
	if err != nil {
		scheme, rest, _ := strings.Cut(name, "://")
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			rest = rest[at+1:]
		}
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[:i]
		}
		return scheme + "://" + rest + "/(unreadable URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
				q.Set(k, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// ShortName names the database in a status bar: a file's base name, or
// a URL's database and server ("crm on db.example:5432"), never a
// password.
func ShortName(name string) string {
	if !IsURL(name) {
		return filepath.Base(name)
	}
	u, err := url.Parse(name)
	if err != nil {
		return "PostgreSQL"
	}
	dbname := strings.TrimPrefix(u.Path, "/")
	if dbname == "" {
		dbname = u.Query().Get("dbname")
	}
	if dbname == "" && u.User != nil {
		dbname = u.User.Username() // PostgreSQL's default database
	}
	if u.Host == "" {
		return dbname
	}
	return strings.ReplaceAll(dbname, "/", "_") + " on " + u.Host
}

// FilesDir is the folder for files that belong beside the database (an
// import's rejected rows): the database file's folder, or "" on
// PostgreSQL, whose database has no folder here.
func (s *Store) FilesDir() string {
	if s.d.pg {
		return ""
	}
	return filepath.Dir(s.path)
}
