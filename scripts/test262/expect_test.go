package main

import (
	"reflect"
	"strings"
	"testing"
)

const sampleExpectations = `# header kept by -update
# second line

test/built-ins/A/ needs A
test/built-ins/B/b1.js B is broken
feature:cross-realm needs $262.createRealm
# a comment dropped by -update
test/built-ins/C/gone.js fixed since
`

func TestExpectationsCheck(t *testing.T) {
	x, err := parseExpectations(strings.NewReader(sampleExpectations))
	if err != nil {
		t.Fatal(err)
	}
	results := []result{
		{path: "test/built-ins/A/x/a1.js", failure: "sloppy: boom"},
		{path: "test/built-ins/A/a2.js"},
		{path: "test/built-ins/B/b1.js", failure: "strict: boom"},
		{path: "test/built-ins/B/b2.js", failure: "strict: new"},
		{path: "test/built-ins/B/b3.js", failure: "module: realm", features: []string{"cross-realm"}},
		{path: "test/built-ins/B/b4.js"},
		{path: "test/built-ins/C/gone.js"},
		{path: "test/built-ins/D/skipped.js", skipped: "[[CanBlock]]", failure: ""},
	}
	v := x.check(results)
	var unexpected []string
	for _, r := range v.unexpectedFailures {
		unexpected = append(unexpected, r.path)
	}
	if want := []string{"test/built-ins/B/b2.js"}; !reflect.DeepEqual(unexpected, want) {
		t.Errorf("unexpected failures %v, want %v", unexpected, want)
	}
	if want := []string{"test/built-ins/C/gone.js"}; !reflect.DeepEqual(v.unexpectedPasses, want) {
		t.Errorf("unexpected passes %v, want %v", v.unexpectedPasses, want)
	}

	results = append(results,
		result{path: "test/built-ins/E/e1.js", failure: "sloppy: no E"},
		result{path: "test/built-ins/E/e2.js", failure: "sloppy: no E either"},
		result{path: "test/built-ins/E/e3.js", failure: "sloppy: no E either"},
		result{path: "test/built-ins/F/f1.js", failure: "sloppy: no F", features: []string{"f"}},
		result{path: "test/built-ins/G/g1.js", failure: "sloppy: no F", features: []string{"f"}},
		result{path: "test/built-ins/G/g2.js", failure: "sloppy: no F", features: []string{"f"}},
		result{path: "test/built-ins/G/g3.js"})
	var b strings.Builder
	if err := x.update(results).write(&b); err != nil {
		t.Fatal(err)
	}
	want := `# header kept by -update
# second line

feature:cross-realm needs $262.createRealm
feature:f TODO: sloppy: no F
test/built-ins/A/ needs A
test/built-ins/B/b1.js B is broken
test/built-ins/B/b2.js TODO: strict: new
test/built-ins/E/ TODO: sloppy: no E
`
	if b.String() != want {
		t.Errorf("update wrote\n%s\nwant\n%s", b.String(), want)
	}
}

func TestParseExpectationsNoReason(t *testing.T) {
	if _, err := parseExpectations(strings.NewReader("test/x.js\n")); err == nil {
		t.Error("an entry without a reason was accepted")
	}
}

func TestParentDir(t *testing.T) {
	for in, want := range map[string]string{
		"test/a/b.js": "test/a/",
		"test/a/":     "test/",
		"test/":       "",
		"x.js":        "",
	} {
		if got := parentDir(in); got != want {
			t.Errorf("parentDir(%q) = %q, want %q", in, got, want)
		}
	}
}
