package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// whenText words a due or snooze time in the local zone: "Mon 11-23 17:00"
// this year, "Wed 2020-01-01 17:00" in any other, so a date never reads as
// this year's when it is not.
func whenText(t, now time.Time) string {
	t = t.In(time.Local)
	if t.Year() == now.In(time.Local).Year() {
		return t.Format("Mon 01-02 15:04")
	}
	return t.Format("Mon 2006-01-02 15:04")
}

// dayText is a day: "11-23" this year, "2027-01-04" in another.
func dayText(t, now time.Time) string {
	t = t.In(time.Local)
	if t.Year() == now.In(time.Local).Year() {
		return t.Format("01-02")
	}
	return t.Format("2006-01-02")
}

// pastQuestion asks before a promise or a snooze lands in the past; ""
// when t is still ahead.
func pastQuestion(what string, t, now time.Time) string {
	if t.After(now) {
		return ""
	}
	return fmt.Sprintf("%s %s is in the past (%s) — save anyway?", what, whenText(t, now), ago(t, now))
}

// confirmFirst is what a prompt's answer returns when the value needs a
// y before it is written: the question, and the write to run on y.
type confirmFirst struct {
	question string
	then     func() tea.Cmd
}

func (c confirmFirst) Error() string { return c.question }
