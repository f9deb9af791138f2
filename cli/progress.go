package cli

import (
	"fmt"
	"github.com/rapportcrm/rapport/model"
	"io"
	"strings"
	"time"
)

// progressLine redraws one line of progress on a terminal's stderr:
// "label [█████░░░░░]  45%  45,000/100,000  12,345/s  ETA 4s", when the
// percentage changes or a fifth of a second passed.
type progressLine struct {
	w        io.Writer
	label    string
	last     int
	drawn    bool
	scanning bool
	start    time.Time
	at       time.Time
}

func (p *progressLine) update(done, total int) {
	if total <= 0 {
		return
	}
	now := time.Now()
	if p.start.IsZero() {
		p.start = now
	}
	pct := min(100, max(0, done*100/total))
	if p.drawn && pct == p.last && now.Sub(p.at) < 200*time.Millisecond {
		return
	}
	p.last, p.drawn, p.at = pct, true, now
	const width = 30
	filled := pct * width / 100
	line := fmt.Sprintf("\r%s [%s%s] %3d%%  %s/%s", p.label,
		strings.Repeat("█", filled), strings.Repeat("░", width-filled), pct,
		model.Thousands(int64(done)), model.Thousands(int64(total)))
	if secs := now.Sub(p.start).Seconds(); secs >= 0.5 && done > 0 {
		rate := float64(done) / secs
		eta := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
		line += fmt.Sprintf("  %s/s  ETA %s", model.Thousands(int64(rate)), eta)
	}
	fmt.Fprint(p.w, line+"\x1b[K")
}

func (p *progressLine) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// updateFile draws an import's progress: the share of the file read, the
// rows so far, rows/s and the time left at that pace. rows < 0 is the
// importer's first, quick pass over the file.
func (p *progressLine) updateFile(rows int, read, size int64) {
	if size <= 0 {
		return
	}
	now := time.Now()
	if rows < 0 {
		p.scanning = true
		pct := int(min(100, max(0, read*100/size)))
		if p.drawn && now.Sub(p.at) < 200*time.Millisecond {
			return
		}
		p.drawn, p.at = true, now
		fmt.Fprintf(p.w, "\r%s reading %3d%%\x1b[K", p.label, pct)
		return
	}
	if p.scanning { // the import proper starts: its pace from now
		p.scanning, p.start = false, time.Time{}
	}
	if p.start.IsZero() {
		p.start = now
	}
	pct := int(min(100, max(0, read*100/size)))
	if p.drawn && now.Sub(p.at) < 200*time.Millisecond && pct < 100 {
		return
	}
	p.last, p.drawn, p.at = pct, true, now
	const width = 30
	filled := pct * width / 100
	line := fmt.Sprintf("\r%s [%s%s] %3d%%  %s rows", p.label,
		strings.Repeat("█", filled), strings.Repeat("░", width-filled), pct, model.Thousands(int64(rows)))
	if secs := now.Sub(p.start).Seconds(); secs >= 0.5 && read > 0 && rows > 0 {
		eta := time.Duration(float64(size-read) / (float64(read) / secs) * float64(time.Second)).Round(time.Second)
		line += fmt.Sprintf("  %s rows/s  ETA %s", model.Thousands(int64(float64(rows)/secs)), eta)
	}
	fmt.Fprint(p.w, line+"\x1b[K")
}
