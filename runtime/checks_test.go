package runtime

import (
	"strconv"
	"strings"
	"testing"
)

// runChecks runs, as the script name in a runtime with the default options,
// each of checks, an expression that must be true, and names those that are
// not, with what they gave or threw.
func runChecks(t *testing.T, name string, checks []string) {
	t.Helper()
	src := "const checks = [\n"
	for _, c := range checks {
		src += "\t() => " + c + ",\n"
	}
	src += "];\nchecks.forEach((c, i) => { let r; try { r = c(); } catch (e) { r = e; } console.log(i + ' ' + r); });"
	res := runSrc(t, name, src, Options{})
	if res.err != nil {
		t.Fatalf("%v\n%s", res.err, res.stderr)
	}
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	for i, c := range checks {
		if i >= len(lines) || lines[i] != strconv.Itoa(i)+" true" {
			got := "(nothing)"
			if i < len(lines) {
				got = lines[i]
			}
			t.Errorf("%s: got %s", c, got)
		}
	}
}
