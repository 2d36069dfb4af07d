package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/wsjs/wsjs/wpt-runner/results"
)

// progress reports a run as it goes: on a terminal one status line rewritten
// in place, with unexpected results printed above it; otherwise one plain
// line per finished test.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	verbose  bool
	total    int
	finished int
	running  map[string]bool
	byStatus map[string]int
	width    int
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, total int, verbose bool) *progress {
	return &progress{w: w, tty: isTerminal(w), verbose: verbose, total: total,
		running: map[string]bool{}, byStatus: map[string]int{}, width: 100}
}

func (p *progress) start(url string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[url] = true
	p.redraw(url)
}

func (p *progress) done(res results.Result, log string, diffs []results.Diff) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, res.Test)
	p.finished++
	p.byStatus[res.Status]++
	passed := 0
	for _, st := range res.Subtests {
		if st.Status == results.Pass {
			passed++
		}
	}
	line := fmt.Sprintf("[%d/%d] %-7s %s (%d/%d subtests passed, %.2fs)", p.finished, p.total, res.Status, res.Test,
		passed, len(res.Subtests), res.Duration.Seconds())
	if res.Message != "" && res.Status != results.OK {
		line += ": " + firstLine(res.Message)
	}
	var extra []string
	for _, d := range diffs {
		extra = append(extra, "  unexpected "+d.String())
	}
	if p.verbose {
		for _, st := range res.Subtests {
			if st.Status != results.Pass {
				extra = append(extra, fmt.Sprintf("  %s %q: %s", st.Status, st.Name, firstLine(st.Message)))
			}
		}
		if log != "" {
			extra = append(extra, "  log:\n    "+strings.ReplaceAll(strings.TrimRight(log, "\n"), "\n", "\n    "))
		}
	}
	if p.tty {
		if len(diffs) > 0 || p.verbose {
			p.clear()
			fmt.Fprintln(p.w, line)
			for _, e := range extra {
				fmt.Fprintln(p.w, e)
			}
		}
		p.redraw("")
		return
	}
	fmt.Fprintln(p.w, line)
	for _, e := range extra {
		fmt.Fprintln(p.w, e)
	}
}

func (p *progress) clear() {
	fmt.Fprint(p.w, "\r\x1b[K")
}

// redraw rewrites the status line on a terminal.
func (p *progress) redraw(current string) {
	if !p.tty {
		return
	}
	if current == "" {
		for u := range p.running {
			current = u
			break
		}
	}
	var counts []string
	for _, s := range []string{results.OK, results.Error, results.Timeout, results.PreconditionFailed, results.Crash} {
		if n := p.byStatus[s]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, s))
		}
	}
	line := fmt.Sprintf("[%d/%d] %s | %s", p.finished, p.total, strings.Join(counts, " "), current)
	if len(line) > p.width {
		line = line[:p.width]
	}
	p.clear()
	fmt.Fprint(p.w, line)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.clear()
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
