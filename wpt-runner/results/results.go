package results

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Test statuses (the harness status of a test file, and the runner's own).
const (
	OK                 = "OK"                  // the harness completed
	Error              = "ERROR"               // harness error, or the runner could not run the test
	Timeout            = "TIMEOUT"             // the harness did not complete in time
	PreconditionFailed = "PRECONDITION_FAILED" // an optional feature is missing
	Crash              = "CRASH"               // the runtime failed (a Go panic)
)

// Subtest statuses.
const (
	Pass   = "PASS"
	Fail   = "FAIL"
	NotRun = "NOTRUN"
	// Timeout and PreconditionFailed are subtest statuses too.
)

// harnessStatuses and subtestStatuses map testharness.js status codes
// (TestsStatus.statuses and Test.statuses) to names.
var (
	harnessStatuses = [...]string{OK, Error, Timeout, PreconditionFailed}
	subtestStatuses = [...]string{Pass, Fail, Timeout, NotRun, PreconditionFailed}
)

// HarnessStatus names a testharness.js harness status code.
func HarnessStatus(code int) string {
	if code >= 0 && code < len(harnessStatuses) {
		return harnessStatuses[code]
	}
	return Error
}

// SubtestStatus names a testharness.js test status code.
func SubtestStatus(code int) string {
	if code >= 0 && code < len(subtestStatuses) {
		return subtestStatuses[code]
	}
	return Fail
}

// A Subtest is the result of one test() / async_test() / promise_test().
type Subtest struct {
	Name    string
	Status  string
	Message string
}

// A Result is the outcome of one test URL.
type Result struct {
	// Test is the test URL (path and query), as in the manifest.
	Test string
	// Group names the kind of run the test belongs to in summaries, such
	// as "window ?wss" (see Group).
	Group    string
	Status   string
	Message  string
	Subtests []Subtest
	Duration time.Duration
}

// Group returns the summary group of a test: the global scope it runs in and
// its variant, e.g. "window ?default", "dedicatedworker ?wss" or "window"
// for a test without variant.
func Group(global, variant string) string {
	if variant == "" {
		return global
	}
	return global + " " + variant
}

// A Report is a whole run in the form wptrunner's --log-wptreport writes and
// wpt.fyi reads.
type Report struct {
	RunInfo   map[string]any
	TimeStart time.Time
	TimeEnd   time.Time
	Results   []Result
}

type jsonReport struct {
	RunInfo   map[string]any `json:"run_info"`
	TimeStart int64          `json:"time_start"`
	TimeEnd   int64          `json:"time_end"`
	Results   []jsonResult   `json:"results"`
	Subsuites map[string]any `json:"subsuites"`
}

type jsonResult struct {
	Test     string        `json:"test"`
	Subsuite string        `json:"subsuite"`
	Subtests []jsonSubtest `json:"subtests"`
	Status   string        `json:"status"`
	Message  *string       `json:"message"`
	Duration int64         `json:"duration"`
}

type jsonSubtest struct {
	Name    string  `json:"name"`
	Status  string  `json:"status"`
	Message *string `json:"message"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WriteJSON writes r as one line of JSON in the wptreport format: run_info,
// time_start and time_end in milliseconds since the Unix epoch, and results,
// each with test, subtests (name, status, message), status, message (null
// when empty) and duration in milliseconds.
func (r *Report) WriteJSON(w io.Writer) error {
	jr := jsonReport{
		RunInfo:   r.RunInfo,
		TimeStart: r.TimeStart.UnixMilli(),
		TimeEnd:   r.TimeEnd.UnixMilli(),
		Results:   make([]jsonResult, 0, len(r.Results)),
		Subsuites: map[string]any{},
	}
	if jr.RunInfo == nil {
		jr.RunInfo = map[string]any{}
	}
	for _, res := range r.Results {
		out := jsonResult{
			Test:     res.Test,
			Subtests: make([]jsonSubtest, 0, len(res.Subtests)),
			Status:   res.Status,
			Message:  nullable(res.Message),
			Duration: res.Duration.Milliseconds(),
		}
		for _, st := range res.Subtests {
			out.Subtests = append(out.Subtests, jsonSubtest{Name: st.Name, Status: st.Status, Message: nullable(st.Message)})
		}
		jr.Results = append(jr.Results, out)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(jr)
}

// counts tallies statuses.
type counts map[string]int

// WriteSummary writes a table with, for every group, how many tests ended
// in each test status and how many subtests in each subtest status, then a
// total line.
func WriteSummary(w io.Writer, rs []Result) error {
	groups := map[string][2]counts{}
	var names []string
	testCols := map[string]bool{}
	subCols := map[string]bool{}
	total := [2]counts{{}, {}}
	for _, r := range rs {
		g, ok := groups[r.Group]
		if !ok {
			g = [2]counts{{}, {}}
			groups[r.Group] = g
			names = append(names, r.Group)
		}
		g[0][r.Status]++
		total[0][r.Status]++
		testCols[r.Status] = true
		for _, st := range r.Subtests {
			g[1][st.Status]++
			total[1][st.Status]++
			subCols[st.Status] = true
		}
	}
	sort.Strings(names)
	tc := orderedCols(testCols, []string{OK, Error, Timeout, PreconditionFailed, Crash})
	sc := orderedCols(subCols, []string{Pass, Fail, Timeout, NotRun, PreconditionFailed})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name string, c [2]counts) {
		n, m := 0, 0
		for _, v := range c[0] {
			n += v
		}
		for _, v := range c[1] {
			m += v
		}
		fmt.Fprintf(tw, "%s\t%d\t", name, n)
		for _, col := range tc {
			fmt.Fprintf(tw, "%d\t", c[0][col])
		}
		fmt.Fprintf(tw, "%d\t", m)
		for _, col := range sc {
			fmt.Fprintf(tw, "%d\t", c[1][col])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "group\ttests\t")
	for _, col := range tc {
		fmt.Fprintf(tw, "%s\t", col)
	}
	fmt.Fprintf(tw, "subtests\t")
	for _, col := range sc {
		fmt.Fprintf(tw, "%s\t", col)
	}
	fmt.Fprintln(tw)
	for _, name := range names {
		row(name, groups[name])
	}
	row("total", total)
	return tw.Flush()
}

// orderedCols returns the statuses present, known ones in the given order
// and unknown ones after them, sorted.
func orderedCols(present map[string]bool, order []string) []string {
	var out []string
	known := map[string]bool{}
	for _, s := range order {
		known[s] = true
		if present[s] {
			out = append(out, s)
		}
	}
	var rest []string
	for s := range present {
		if !known[s] {
			rest = append(rest, s)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// oneLine shortens a message to its first line for terminal output.
func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}
