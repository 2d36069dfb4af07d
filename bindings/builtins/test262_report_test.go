package builtins

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var test262Failures = flag.String("test262.failures", "", "log why files under this directory fail with the built-ins")

// test262Configs are the ways each file runs: in goja alone, and in goja with
// this package's built-ins without bounds and with the defaults the runtime
// package gives them. A file that passes in goja alone must pass in the others.
var test262Configs = [3]struct {
	name  string
	plain bool
	opts  Options
}{
	{name: "goja", plain: true},
	{name: "built-ins"},
	{name: "bounded", opts: Options{ArrayBufferBytes: 2 << 30, StringLength: 1<<29 - 24, JoinDepth: 2500, NestingDepth: 2500, Interruptible: true, DynamicFunctions: true}},
}

// report262 logs, per directory and for the files of the resizable-arraybuffer
// feature, how many files pass in each configuration, and fails the test for
// each file that passes in goja alone but not with the built-ins.
func report262(t *testing.T, root string, dirs []string, files []*test262File) {
	type tally struct{ files, pass [len(test262Configs)]int }
	groups := map[string]*tally{}
	var order []string
	count := func(group string, f *test262File) {
		g := groups[group]
		if g == nil {
			g = &tally{}
			groups[group] = g
			order = append(order, group)
		}
		for c := range test262Configs {
			g.files[c]++
			g.pass[c] += btoi(f.failed[c] == nil)
		}
	}
	var fixed, regressed, stale []string
	for _, f := range files {
		name, _ := filepath.Rel(root, f.path)
		for _, d := range dirs {
			if strings.HasPrefix(name, d+string(filepath.Separator)) {
				count(d, f)
			}
		}
		if slices.Contains(f.meta.features, "resizable-arraybuffer") {
			count("feature resizable-arraybuffer", f)
		}
		if *test262Failures != "" && strings.HasPrefix(name, *test262Failures) && f.failed[len(test262Configs)-1] != nil {
			t.Logf("fails: %s: %s", name, f.failed[len(test262Configs)-1][0])
		}
		plain := f.failed[0] == nil
		_, known := test262Known[filepath.ToSlash(name)]
		for c := 1; c < len(test262Configs); c++ {
			if plain && f.failed[c] != nil && !known {
				regressed = append(regressed, fmt.Sprintf("%s (%s): %s", name, test262Configs[c].name, strings.Join(f.failed[c], "; ")))
			}
		}
		if !plain && f.failed[len(test262Configs)-1] == nil {
			fixed = append(fixed, name)
		}
		if known && plain && !slices.ContainsFunc(f.failed[1:], func(failed []string) bool { return failed != nil }) {
			stale = append(stale, name)
		}
	}
	for _, group := range order {
		g := groups[group]
		line := fmt.Sprintf("test262 %s: %d files;", group, g.files[0])
		for c, cfg := range test262Configs {
			line += fmt.Sprintf(" %s %d,", cfg.name, g.pass[c])
		}
		t.Log(strings.TrimSuffix(line, ","))
	}
	t.Logf("test262: %d files pass only with the built-ins, %d regressed (beside %d known files)", len(fixed), len(regressed), len(test262Known))
	if testing.Verbose() {
		for _, f := range fixed {
			t.Logf("passes only with the built-ins: %s", f)
		}
	}
	for _, r := range regressed {
		t.Errorf("regressed: %s", r)
	}
	// Logged, not failed: a known file may fail for time on a loaded
	// machine and pass on another.
	for _, name := range stale {
		t.Logf("known to regress, but passes this time: %s", name)
	}
}
