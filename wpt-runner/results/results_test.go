package results

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStatusNames(t *testing.T) {
	for code, want := range []string{"OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"} {
		if got := HarnessStatus(code); got != want {
			t.Errorf("HarnessStatus(%d) = %s, want %s", code, got, want)
		}
	}
	for code, want := range []string{"PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"} {
		if got := SubtestStatus(code); got != want {
			t.Errorf("SubtestStatus(%d) = %s, want %s", code, got, want)
		}
	}
	if HarnessStatus(-1) != Error || HarnessStatus(9) != Error || SubtestStatus(7) != Fail {
		t.Error("out-of-range codes are not failures")
	}
}

func TestWriteJSON(t *testing.T) {
	start := time.UnixMilli(1700000000000)
	r := &Report{
		RunInfo:   map[string]any{"product": "wsjs"},
		TimeStart: start,
		TimeEnd:   start.Add(5 * time.Second),
		Results: []Result{
			{Test: "/a.any.html?wss", Status: OK, Duration: 1500 * time.Millisecond, Subtests: []Subtest{
				{Name: "<b> & \"c\"", Status: Pass},
				{Name: "y", Status: Fail, Message: "assert_equals: expected 1 but got 2"},
			}},
			{Test: "/b.html", Status: Error, Message: "ReferenceError: Worker is not defined"},
		},
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Errorf("%d lines, want one", n)
	}
	if !strings.Contains(buf.String(), `"<b> & \"c\""`) {
		t.Errorf("HTML characters escaped: %s", buf.String())
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"run_info":   map[string]any{"product": "wsjs"},
		"time_start": 1700000000000.0,
		"time_end":   1700000005000.0,
		"subsuites":  map[string]any{},
		"results": []any{
			map[string]any{"test": "/a.any.html?wss", "subsuite": "", "status": "OK", "message": nil, "duration": 1500.0,
				"subtests": []any{
					map[string]any{"name": "<b> & \"c\"", "status": "PASS", "message": nil},
					map[string]any{"name": "y", "status": "FAIL", "message": "assert_equals: expected 1 but got 2"},
				}},
			map[string]any{"test": "/b.html", "subsuite": "", "status": "ERROR", "message": "ReferenceError: Worker is not defined",
				"duration": 0.0, "subtests": []any{}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report\n got %#v\nwant %#v", got, want)
	}
}

func TestWriteSummary(t *testing.T) {
	rs := []Result{
		{Test: "/a.any.html?wss", Group: Group("window", "?wss"), Status: OK, Subtests: []Subtest{{Name: "a", Status: Pass}, {Name: "b", Status: Fail}}},
		{Test: "/b.any.html?wss", Group: Group("window", "?wss"), Status: Timeout, Subtests: []Subtest{{Name: "a", Status: Timeout}}},
		{Test: "/a.any.worker.html?wss", Group: Group("dedicatedworker", "?wss"), Status: Error},
		{Test: "/c.html", Group: Group("window", ""), Status: OK, Subtests: []Subtest{{Name: "a", Status: Pass}}},
	}
	var buf bytes.Buffer
	if err := WriteSummary(&buf, rs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	fields := func(i int) []string { return strings.Fields(lines[i]) }
	if len(lines) != 5 {
		t.Fatalf("summary:\n%s", buf.String())
	}
	cases := []struct {
		line int
		want []string
	}{
		{0, []string{"group", "tests", "OK", "ERROR", "TIMEOUT", "subtests", "PASS", "FAIL", "TIMEOUT"}},
		{1, []string{"dedicatedworker", "?wss", "1", "0", "1", "0", "0", "0", "0", "0"}},
		{2, []string{"window", "1", "1", "0", "0", "1", "1", "0", "0"}},
		{3, []string{"window", "?wss", "2", "1", "0", "1", "3", "1", "1", "1"}},
		{4, []string{"total", "4", "2", "1", "1", "4", "2", "1", "1"}},
	}
	for _, c := range cases {
		if got := fields(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("line %d = %q, want %q\n%s", c.line, got, c.want, buf.String())
		}
	}
}
