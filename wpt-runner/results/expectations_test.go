package results

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const sample = `{
  "/a.any.html": {
    "status": "OK",
    "subtests": {
      "passes": {"status": "PASS"},
      "fails": {"status": "FAIL", "reason": "needs a DOM (document)"},
      "flaky": {"status": "PASS", "intermittent": ["TIMEOUT"]},
      "late": {"status": "PASS", "intermittent": ["TIMEOUT", "MISSING"], "reason": "runs only if the harness does not time out first"}
    }
  },
  "/a.any.worker.html": {"status": "ERROR", "reason": "needs Worker"},
  "/gone.html": {"status": "TIMEOUT", "reason": "old"}
}`

func load(t *testing.T, s string) Expectations {
	t.Helper()
	e, err := Load(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLoadErrors(t *testing.T) {
	cases := []struct{ json, want string }{
		{`{"/a": {"status": "ERROR"}}`, `/a: expected ERROR without a reason`},
		{`{"/a": {"status": "OK", "subtests": {"x": {"status": "FAIL", "reason": " "}}}}`, `/a: subtest "x": expected FAIL without a reason`},
		{`{"/a": {"status": "PASS"}}`, `/a: unknown status "PASS"`},
		{`{"/a": {"status": "OK", "subtests": {"x": {"status": "OK"}}}}`, `subtest "x": unknown status "OK"`},
		{`{"/a": {"status": "OK", "intermittent": ["BANANA"]}}`, `unknown intermittent status "BANANA"`},
		{`{"/a": {"status": "OK", "bogus": 1}}`, `unknown field "bogus"`},
		{`{"/a": null}`, `/a: null entry`},
		{`[1]`, `cannot unmarshal`},
		{`{"/a": {"status": "OK", "subtests": {"x": {"status": "PASS", "subtests": {}}}}}`, `has subtests`},
	}
	for _, c := range cases {
		_, err := Load(strings.NewReader(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s) error %v, want one containing %q", c.json, err, c.want)
		}
	}
	if e, err := Load(strings.NewReader("null")); err != nil || len(e) != 0 {
		t.Errorf("Load(null) = %v, %v", e, err)
	}
}

func TestCompare(t *testing.T) {
	e := load(t, sample)
	cases := []struct {
		name string
		r    Result
		want []string
	}{
		{"as expected", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Pass, ""}, {"fails", Fail, "x"}, {"flaky", Timeout, ""}, {"late", Pass, ""}}}, nil},
		{"may be missing", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Pass, ""}, {"fails", Fail, "x"}, {"flaky", Pass, ""}}}, nil},
		{"may time out", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Pass, ""}, {"fails", Fail, "x"}, {"flaky", Pass, ""}, {"late", Timeout, ""}}}, nil},
		{"regression and missing", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Fail, "boom"}, {"fails", Fail, ""}}},
			[]string{`regression: /a.any.html / "passes": expected PASS, got FAIL: boom`, `regression: /a.any.html / "flaky": expected PASS, got MISSING`}},
		{"unexpected pass and changed", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Pass, ""}, {"fails", Pass, ""}, {"flaky", NotRun, ""}}},
			[]string{`unexpected pass: /a.any.html / "fails": expected FAIL, got PASS`, `regression: /a.any.html / "flaky": expected PASS, got NOTRUN`}},
		{"new subtest failing", Result{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Pass, ""}, {"fails", Fail, ""}, {"flaky", Pass, ""}, {"new", Fail, "line1\nline2"}}},
			[]string{`regression: /a.any.html / "new": expected PASS, got FAIL: line1 …`}},
		{"harness now OK", Result{Test: "/a.any.worker.html", Status: OK, Subtests: []Subtest{{"t", Pass, ""}}},
			[]string{`unexpected pass: /a.any.worker.html: expected ERROR, got OK`}},
		{"harness changed", Result{Test: "/a.any.worker.html", Status: Timeout},
			[]string{`changed: /a.any.worker.html: expected ERROR, got TIMEOUT`}},
		{"unknown test passing", Result{Test: "/new.html", Status: OK, Subtests: []Subtest{{"t", Pass, ""}}}, nil},
		{"unknown test failing", Result{Test: "/new.html", Status: Error, Message: "m"},
			[]string{`regression: /new.html: expected OK, got ERROR: m`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range e.Compare([]Result{c.r}) {
				got = append(got, d.String())
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("diffs\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	e := load(t, sample)
	rs := []Result{
		// A new failure, a kept reason, an intermittent status and a fix.
		{Test: "/a.any.html", Status: OK, Subtests: []Subtest{{"passes", Fail, "boom"}, {"fails", Timeout, ""}, {"flaky", Timeout, ""}, {"new", Pass, ""}}},
		// Now passes: the reason goes.
		{Test: "/a.any.worker.html", Status: OK, Subtests: []Subtest{{"t", Pass, ""}}},
		// A new test.
		{Test: "/b.html", Status: Timeout, Subtests: []Subtest{{"t", NotRun, ""}}},
	}
	got := e.Update(rs, func(test string) bool { return test == "/gone.html" })
	want := Expectations{
		"/a.any.html": {Status: OK, Subtests: map[string]*Expected{
			"passes": {Status: Fail, Reason: TODO},
			"fails":  {Status: Timeout, Reason: "needs a DOM (document)"},
			"flaky":  {Status: Pass, Intermittent: []string{Timeout}},
		}, Passing: 1}, // "new": passing subtests are counted, not listed
		"/a.any.worker.html": {Status: OK, Passing: 1},
		"/b.html":            {Status: Timeout, Reason: TODO, Subtests: map[string]*Expected{"t": {Status: NotRun, Reason: TODO}}},
	}
	if !reflect.DeepEqual(got, want) {
		var g, w bytes.Buffer
		got.Write(&g)
		want.Write(&w)
		t.Errorf("Update:\n got %s\nwant %s", g.String(), w.String())
	}
	// Unchanged results keep their entries, and tests that did not run stay.
	same := e.Update([]Result{{Test: "/a.any.worker.html", Status: Error, Message: "other message"}}, nil)
	if !reflect.DeepEqual(same, e) {
		t.Errorf("Update with matching results changed the expectations")
	}
	// What Update writes loads again and compares clean.
	var buf bytes.Buffer
	if err := got.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back := load(t, buf.String())
	if d := back.Compare(rs); len(d) != 0 {
		t.Errorf("diffs after update: %v", d)
	}
}

// TestOthers checks that Update writes many subtests failing alike as one
// "others" expectation, which Compare applies to every unlisted subtest.
func TestOthers(t *testing.T) {
	var r Result
	r.Test, r.Status = "/t/many.html", OK
	for i := range collapseAfter + 5 {
		r.Subtests = append(r.Subtests, Subtest{Name: fmt.Sprint("case ", i), Status: Fail})
	}
	up := Expectations{}.Update([]Result{r}, nil)
	ex := up["/t/many.html"]
	if ex.Subtests != nil || ex.Others == nil || ex.Others.Status != Fail {
		t.Fatalf("not collapsed: %+v", ex)
	}
	if ex.Others.Reason != TODO {
		t.Errorf("others reason %q", ex.Others.Reason)
	}
	var buf bytes.Buffer
	if err := up.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if d := back.Compare([]Result{r}); len(d) != 0 {
		t.Errorf("diffs against its own result: %v", d)
	}
	r.Subtests[3].Status = Pass
	if d := back.Compare([]Result{r}); len(d) != 1 || d[0].Kind != UnexpectedPass {
		t.Errorf("a passing subtest: %v", d)
	}
	if matches(back["/t/many.html"], r) {
		t.Error("matches ignores a changed subtest")
	}
}

// TestPassingCount checks that a run with fewer passing subtests than an
// entry counts is a regression, and one with as many matches it.
func TestPassingCount(t *testing.T) {
	e := Expectations{"/p.html": {Status: OK, Passing: 2}}
	two := Result{Test: "/p.html", Status: OK, Subtests: []Subtest{{"a", Pass, ""}, {"b", Pass, ""}}}
	if d := e.Compare([]Result{two}); len(d) != 0 || !matches(e["/p.html"], two) {
		t.Errorf("two passes: %v", d)
	}
	one := Result{Test: "/p.html", Status: OK, Subtests: []Subtest{{"a", Pass, ""}}}
	if d := e.Compare([]Result{one}); len(d) != 1 || d[0].Kind != Regression || matches(e["/p.html"], one) {
		t.Errorf("one pass: %v", d)
	}
}
