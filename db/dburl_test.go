package db

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/home/li/rapport.db", "/home/li/rapport.db"},
		{"postgres.db", "postgres.db"},
		{"postgres://rapport@db.example:5432/crm", "postgres://rapport@db.example:5432/crm"},
		{"postgres://rapport:s3cret@db.example:5432/crm?sslmode=require", "postgres://rapport:xxxxx@db.example:5432/crm?sslmode=require"},
		{"postgresql://db.example/crm?user=li&password=s3cret", "postgresql://db.example/crm?password=xxxxx&user=li"},
		{"POSTGRES://u:s3cret@h/d", "postgres://u:xxxxx@h/d"},
		{"postgres://u:s3cret@h:bad port/d%zz", "postgres://h:bad port/(unreadable URL)"},
	} {
		got := RedactURL(c.in)
		if got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("RedactURL(%q) shows the password", c.in)
		}
	}
	if !IsURL("postgresql://h/d") || !IsURL("postgres://h/d") || IsURL("./postgres://x") || IsURL("rapport.db") {
		t.Error("IsURL")
	}
}

// A URL never becomes a file, and its password never reaches a message:
// nothing listens on port 1.
func TestOpenURLHidesPassword(t *testing.T) {
	_, err := Open(ctx, "postgres://u:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", Options{})
	if err == nil {
		t.Fatal("opened a database on port 1")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error does not name the server: %v", err)
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"/home/li/rapport.db": "rapport.db",
		"postgres://rapport:s3cret@db.example:5432/crm?sslmode=disable": "crm on db.example:5432",
		"postgresql://li@db.example/?dbname=crm":                        "crm on db.example",
		"postgres://li@db.example":                                      "li on db.example",
	} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}
