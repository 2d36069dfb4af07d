package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
)

// TODO is the reason Update gives a result that is not a pass and had no
// reason before, so that it stands out until someone finds the real one.
const TODO = "TODO: investigate"

// Expectations are the recorded results of test URLs: for each, the expected
// harness status and the expected status of each subtest, with a reason for
// everything that is not OK or PASS. A test URL missing from it is expected
// to be OK with every subtest passing.
//
// In JSON (see Load) it is an object keyed by test URL:
//
//	{
//	  "/websockets/Close-1000.any.html?default": {
//	    "status": "OK",
//	    "subtests": {
//	      "Create WebSocket - Close the Connection - ...": {"status": "PASS"},
//	      "...": {"status": "FAIL", "reason": "needs a DOM (document)"}
//	    }
//	  }
//	}
//
// Subtests lists the subtests that do not pass; "passing" counts the others,
// so that a run that loses one is a regression:
//
//	"/encoding/api-basics.any.html": {"status": "OK", "passing": 6}
//
// An entry may also list "intermittent" statuses that are accepted besides
// "status", and "others", the expectation of every subtest it does not list
// (PASS without it): Update writes a test whose many subtests all fail alike
// (a page of thousands of cases that all need a document) that way.
type Expectations map[string]*Expected

// Expected is the expectation for one test URL.
type Expected struct {
	Status       string               `json:"status"`
	Reason       string               `json:"reason,omitempty"`
	Intermittent []string             `json:"intermittent,omitempty"`
	Subtests     map[string]*Expected `json:"subtests,omitempty"`
	Others       *Expected            `json:"others,omitempty"`
	// Passing counts the subtests expected to PASS that Subtests does not
	// list: Update lists only those that do not pass, so that a page of a
	// thousand passing cases is one line, and a run with fewer unlisted
	// passes than Passing has lost some (a regression).
	Passing int `json:"passing,omitempty"`
}

// unlistedPasses counts the subtests of r that ex does not list and that
// passed.
func unlistedPasses(ex *Expected, r Result) int {
	n := 0
	for _, st := range r.Subtests {
		if ex.Subtests[st.Name] == nil && st.Status == Pass {
			n++
		}
	}
	return n
}

// subtest returns the expectation of the subtest name, or nil for PASS.
func (e *Expected) subtest(name string) *Expected {
	if st := e.Subtests[name]; st != nil {
		return st
	}
	return e.Others
}

// collapseAfter is how many subtests that all fail alike Update writes as
// one "others" expectation.
const collapseAfter = 20

// collapse replaces e's subtests with one "others" expectation when there
// are more than collapseAfter and every one is expected the same, not PASS.
func (e *Expected) collapse() {
	if len(e.Subtests) <= collapseAfter || e.Passing > 0 {
		return
	}
	var first *Expected
	for _, st := range e.Subtests {
		if first == nil {
			first = st
		}
		if st.Status == Pass || st.Status != first.Status || st.Reason != first.Reason || strings.Join(st.Intermittent, ",") != strings.Join(first.Intermittent, ",") {
			return
		}
	}
	e.Others, e.Subtests = first, nil
}

func (e *Expected) accepts(status string) bool {
	if status == e.Status {
		return true
	}
	for _, s := range e.Intermittent {
		if s == status {
			return true
		}
	}
	return false
}

// Load reads expectations in JSON. Every test that is not expected to be OK
// and every subtest that is not expected to PASS must have a non-empty
// reason, and every status must be one a run can produce.
func Load(r io.Reader) (Expectations, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var e Expectations
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("expectations: %w", err)
	}
	if e == nil {
		e = Expectations{}
	}
	var problems []string
	for _, url := range sortedKeys(e) {
		ex := e[url]
		if ex == nil {
			problems = append(problems, fmt.Sprintf("%s: null entry", url))
			continue
		}
		problems = append(problems, check(url, ex, testStatuses, OK)...)
		for _, name := range sortedKeys(ex.Subtests) {
			st := ex.Subtests[name]
			if st == nil {
				problems = append(problems, fmt.Sprintf("%s: subtest %q: null entry", url, name))
				continue
			}
			if st.Subtests != nil {
				problems = append(problems, fmt.Sprintf("%s: subtest %q has subtests", url, name))
			}
			problems = append(problems, check(fmt.Sprintf("%s: subtest %q", url, name), st, listedStatuses, Pass)...)
		}
		if ex.Others != nil {
			if ex.Others.Subtests != nil || ex.Others.Others != nil {
				problems = append(problems, fmt.Sprintf("%s: others has subtests", url))
			}
			problems = append(problems, check(url+": others", ex.Others, subStatuses, Pass)...)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("expectations: %s", strings.Join(problems, "; "))
	}
	return e, nil
}

var (
	testStatuses = map[string]bool{OK: true, Error: true, Timeout: true, PreconditionFailed: true, Crash: true}
	subStatuses  = map[string]bool{Pass: true, Fail: true, Timeout: true, NotRun: true, PreconditionFailed: true}
	// A listed subtest may also be one that a run may not report: MISSING
	// among its intermittent statuses.
	listedStatuses = func() map[string]bool {
		m := maps.Clone(subStatuses)
		m[Missing] = true
		return m
	}()
)

func check(what string, e *Expected, valid map[string]bool, good string) []string {
	var p []string
	if !valid[e.Status] || e.Status == Missing {
		p = append(p, fmt.Sprintf("%s: unknown status %q", what, e.Status))
	}
	for _, s := range e.Intermittent {
		if !valid[s] {
			p = append(p, fmt.Sprintf("%s: unknown intermittent status %q", what, s))
		}
	}
	if e.Status != good && strings.TrimSpace(e.Reason) == "" {
		p = append(p, fmt.Sprintf("%s: expected %s without a reason", what, e.Status))
	}
	return p
}

// Write writes e as indented JSON, keys sorted, so that the file diffs well.
func (e Expectations) Write(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// DiffKind classifies a difference between a result and its expectation.
type DiffKind int

const (
	// Regression: expected OK or PASS, got something else, or an expected
	// subtest is missing.
	Regression DiffKind = iota
	// UnexpectedPass: expected something else, got OK or PASS.
	UnexpectedPass
	// Changed: expected one failing status, got another.
	Changed
)

func (k DiffKind) String() string {
	switch k {
	case Regression:
		return "regression"
	case UnexpectedPass:
		return "unexpected pass"
	case Changed:
		return "changed"
	}
	return fmt.Sprintf("DiffKind(%d)", int(k))
}

// A Diff is one unexpected result.
type Diff struct {
	Kind     DiffKind
	Test     string
	Subtest  string // empty for the test itself
	Expected string // the expected status
	Got      string // the status obtained; Missing for a subtest that did not run
	Message  string
}

// Missing is the status of an expected subtest that a run did not report.
const Missing = "MISSING"

func (d Diff) String() string {
	what := d.Test
	if d.Subtest != "" {
		what += " / " + fmt.Sprintf("%q", d.Subtest)
	}
	s := fmt.Sprintf("%s: %s: expected %s, got %s", d.Kind, what, d.Expected, d.Got)
	if d.Message != "" {
		s += ": " + oneLine(d.Message)
	}
	return s
}

func classify(expected, got, good string) DiffKind {
	switch {
	case expected == good:
		return Regression
	case got == good:
		return UnexpectedPass
	}
	return Changed
}

// Compare returns the results that differ from their expectations, in the
// order of rs. Tests without an entry are expected to be OK with every
// subtest passing; expected subtests missing from a result are regressions.
func (e Expectations) Compare(rs []Result) []Diff {
	var out []Diff
	for _, r := range rs {
		ex := e[r.Test]
		if ex == nil {
			ex = &Expected{Status: OK}
		}
		if !ex.accepts(r.Status) {
			out = append(out, Diff{Kind: classify(ex.Status, r.Status, OK), Test: r.Test, Expected: ex.Status, Got: r.Status, Message: r.Message})
		}
		seen := map[string]bool{}
		for _, st := range r.Subtests {
			seen[st.Name] = true
			sx := ex.subtest(st.Name)
			if sx == nil {
				sx = &Expected{Status: Pass}
			}
			if !sx.accepts(st.Status) {
				out = append(out, Diff{Kind: classify(sx.Status, st.Status, Pass), Test: r.Test, Subtest: st.Name, Expected: sx.Status, Got: st.Status, Message: st.Message})
			}
		}
		for _, name := range sortedKeys(ex.Subtests) {
			// A subtest whose intermittent statuses list MISSING may not run.
			if !seen[name] && !ex.Subtests[name].accepts(Missing) {
				out = append(out, Diff{Kind: Regression, Test: r.Test, Subtest: name, Expected: ex.Subtests[name].Status, Got: Missing})
			}
		}
		if n := unlistedPasses(ex, r); n < ex.Passing {
			out = append(out, Diff{Kind: Regression, Test: r.Test, Subtest: fmt.Sprintf("(%d of %d passing subtests)", ex.Passing-n, ex.Passing), Expected: Pass, Got: Missing})
		}
	}
	return out
}

// Update returns e rewritten for the results rs. An entry whose results all
// match it is kept as it is. Otherwise the new statuses are recorded, each
// keeping the reason it had if it is still not a pass; a failure without a
// reason gets TODO. Entries of tests not in rs are kept, except those for
// which stale reports true (tests that no longer exist).
func (e Expectations) Update(rs []Result, stale func(test string) bool) Expectations {
	out := Expectations{}
	ran := map[string]bool{}
	for _, r := range rs {
		ran[r.Test] = true
	}
	for url, ex := range e {
		if !ran[url] && (stale == nil || !stale(url)) {
			out[url] = ex
		}
	}
	for _, r := range rs {
		old := e[r.Test]
		if old != nil && matches(old, r) {
			out[r.Test] = old
			continue
		}
		if old == nil {
			old = &Expected{}
		}
		n := &Expected{Status: r.Status, Subtests: map[string]*Expected{}}
		if old.accepts(r.Status) {
			n.Status, n.Intermittent = old.Status, old.Intermittent
		}
		if n.Status != OK {
			n.Reason = reasonOr(old.Reason)
		}
		for _, st := range r.Subtests {
			os := old.subtest(st.Name)
			if os == nil {
				os = &Expected{}
			}
			ns := &Expected{Status: st.Status}
			if os.accepts(st.Status) {
				ns.Status, ns.Intermittent = os.Status, os.Intermittent
			}
			if ns.Status == Pass && len(ns.Intermittent) == 0 {
				n.Passing++
				continue
			}
			if ns.Status != Pass {
				ns.Reason = reasonOr(os.Reason)
			}
			n.Subtests[st.Name] = ns
		}
		if len(n.Subtests) == 0 {
			n.Subtests = nil
		}
		n.collapse()
		if n.Status == OK && len(n.Intermittent) == 0 && n.Subtests == nil && n.Others == nil {
			// Every subtest passes: the default, but for the count.
			n = &Expected{Status: OK, Passing: n.Passing}
		}
		out[r.Test] = n
	}
	return out
}

func reasonOr(old string) string {
	if strings.TrimSpace(old) != "" {
		return old
	}
	return TODO
}

// matches reports whether r is exactly what ex expects, with no subtest
// missing or new.
func matches(ex *Expected, r Result) bool {
	if !ex.accepts(r.Status) || ex.Others == nil && len(ex.Subtests)+ex.Passing != len(r.Subtests) {
		return false
	}
	listed := 0
	for _, st := range r.Subtests {
		sx := ex.subtest(st.Name)
		if sx == nil && st.Status != Pass || sx != nil && !sx.accepts(st.Status) {
			return false
		}
		if ex.Subtests[st.Name] != nil {
			listed++
		}
	}
	return listed == len(ex.Subtests) && (ex.Others != nil || unlistedPasses(ex, r) == ex.Passing)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ErrUnexpected is returned by a run whose results differ from the
// expectations.
var ErrUnexpected = errors.New("unexpected results")
