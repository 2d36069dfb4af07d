package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"
)

// The expectations file lists the tests expected to fail, one entry a line:
//
//	<pattern> <reason>
//
// where the pattern is a test file ("test/built-ins/Array/from/x.js"), a
// directory ending in "/" (every test under it), or "feature:<name>" (every
// test whose frontmatter lists the feature). Lines starting with "#" are
// comments; the comment lines at the top of the file are kept by -update,
// the others are not.

// An entry is one line of the expectations file.
type entry struct {
	pattern, reason string
}

type expectations struct {
	header  []string // the leading comment lines
	entries []entry
}

// placeholder starts the reason -update gives a new entry, for a person to
// replace with the reason.
const placeholder = "TODO:"

func readExpectations(path string) (*expectations, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return &expectations{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseExpectations(f)
}

func parseExpectations(r io.Reader) (*expectations, error) {
	x := &expectations{}
	s := bufio.NewScanner(r)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		switch {
		case strings.HasPrefix(line, "#"):
			if len(x.entries) == 0 {
				x.header = append(x.header, line)
			}
			continue
		case line == "":
			continue
		}
		pattern, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("line %d: %s has no reason", n, pattern)
		}
		x.entries = append(x.entries, entry{pattern, reason})
	}
	return x, s.Err()
}

// covers reports whether e expects r to fail.
func (e entry) covers(r *result) bool {
	if name, ok := strings.CutPrefix(e.pattern, "feature:"); ok {
		return contains(r.features, name)
	}
	if strings.HasSuffix(e.pattern, "/") {
		return strings.HasPrefix(r.path, e.pattern)
	}
	return r.path == e.pattern
}

// match returns the index of the entry expecting r to fail, or -1: the entry
// for the file itself first, then the entry of the deepest directory, then
// the first feature entry.
func (x *expectations) match(r *result) int {
	best := -1
	for i, e := range x.entries {
		if !e.covers(r) {
			continue
		}
		switch {
		case e.pattern == r.path:
			return i
		case best < 0, strings.HasPrefix(x.entries[best].pattern, "feature:") && !strings.HasPrefix(e.pattern, "feature:"),
			strings.HasSuffix(e.pattern, "/") && len(e.pattern) > len(x.entries[best].pattern):
			best = i
		}
	}
	return best
}

// A verdict compares results with the expectations.
type verdict struct {
	unexpectedFailures []*result
	unexpectedPasses   []string // patterns of entries no failing test needs any more
	used               []bool   // per entry: it expects a failure that happened
	ran                []bool   // per entry: it covers a test that ran
}

func (x *expectations) check(results []result) *verdict {
	v := &verdict{used: make([]bool, len(x.entries)), ran: make([]bool, len(x.entries))}
	for i := range results {
		r := &results[i]
		if r.skipped != "" {
			continue
		}
		for j, e := range x.entries {
			if e.covers(r) {
				v.ran[j] = true
			}
		}
		m := x.match(r)
		switch {
		case r.failure == "":
		case m < 0:
			v.unexpectedFailures = append(v.unexpectedFailures, r)
		default:
			v.used[m] = true
		}
	}
	for j, e := range x.entries {
		if v.ran[j] && !v.used[j] {
			v.unexpectedPasses = append(v.unexpectedPasses, e.pattern)
		}
	}
	return v
}

// update returns the expectations for results: entries that still expect a
// failure, or cover no test that ran, are kept with their reasons; the new
// failures get entries with a placeholder reason: one for a feature when
// every test that ran listing it failed, else one for a whole directory
// where every test that ran under it failed, else one for the file.
func (x *expectations) update(results []result) *expectations {
	v := x.check(results)
	out := &expectations{header: x.header}
	for j, e := range x.entries {
		if v.used[j] || !v.ran[j] {
			out.entries = append(out.entries, e)
		}
	}
	dirs, features := allFailing(results)
	added := map[string]bool{}
	for _, r := range v.unexpectedFailures {
		p := r.path
		for d := parentDir(p); d != ""; d = parentDir(d) {
			if dirs[d] {
				p = d
			}
		}
		for _, f := range r.features {
			if features[f] {
				p = "feature:" + f
				break
			}
		}
		if !added[p] {
			added[p] = true
			out.entries = append(out.entries, entry{p, placeholder + " " + printable(firstLine(r.failure))})
		}
	}
	sort.SliceStable(out.entries, func(i, j int) bool { return out.entries[i].pattern < out.entries[j].pattern })
	return out
}

// printable replaces the control characters of a failure message, which
// tests that check code points print, so that the file stays text.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// allFailing returns the directories ("test/x/y/") under which, and the
// features with which, at least minGroup tests ran and all failed.
func allFailing(results []result) (dirs, features map[string]bool) {
	const minGroup = 3
	ran, failed := map[string]int{}, map[string]int{}
	for _, r := range results {
		if r.skipped != "" {
			continue
		}
		keys := make([]string, 0, 8)
		for d := parentDir(r.path); strings.Count(d, "/") > 2; d = parentDir(d) {
			keys = append(keys, d)
		}
		for _, f := range r.features {
			keys = append(keys, "feature:"+f)
		}
		for _, k := range keys {
			ran[k]++
			if r.failure != "" {
				failed[k]++
			}
		}
	}
	dirs, features = map[string]bool{}, map[string]bool{}
	for k, n := range ran {
		if n < minGroup || failed[k] != n {
			continue
		}
		if f, ok := strings.CutPrefix(k, "feature:"); ok {
			features[f] = true
		} else {
			dirs[k] = true
		}
	}
	return dirs, features
}

// parentDir returns the directory of a path, with a trailing slash: the
// parent of "a/b/c.js" is "a/b/", of "a/b/" "a/"; of "a/", "".
func parentDir(p string) string {
	i := strings.LastIndexByte(strings.TrimSuffix(p, "/"), '/')
	if i < 0 {
		return ""
	}
	return p[:i+1]
}

func (x *expectations) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, h := range x.header {
		fmt.Fprintln(bw, h)
	}
	if len(x.header) > 0 {
		fmt.Fprintln(bw)
	}
	for _, e := range x.entries {
		fmt.Fprintf(bw, "%s %s\n", e.pattern, e.reason)
	}
	return bw.Flush()
}
