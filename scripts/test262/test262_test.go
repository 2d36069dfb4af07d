package main

import (
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"
	"time"
)

// sample is the part of the suite the package test runs: the directories of
// the features most likely to regress, each file of a small directory and
// every nth file of a large one, in sorted order: some 830 files, about 20
// CPU-seconds under the race detector.
var sample = []struct {
	dir   string
	every int
}{
	{"test/built-ins/RegExp/property-escapes", 25},
	{"test/built-ins/RegExp/unicodeSets", 4},
	{"test/built-ins/RegExp/match-indices", 1},
	{"test/built-ins/RegExp/dotall", 1},
	{"test/built-ins/RegExp/named-groups", 4},
	{"test/built-ins/SharedArrayBuffer", 2},
	{"test/built-ins/Atomics", 8},
	{"test/built-ins/ArrayBuffer", 2},
	{"test/built-ins/DataView", 10},
	{"test/built-ins/TypedArray", 20},
	{"test/built-ins/TypedArrayConstructors", 15},
	{"test/built-ins/WeakRef", 1},
	{"test/built-ins/FinalizationRegistry", 1},
	{"test/built-ins/WeakMap", 3},
	{"test/built-ins/WeakSet", 3},
	{"test/built-ins/String/prototype/isWellFormed", 1},
	{"test/built-ins/String/prototype/toWellFormed", 1},
	{"test/built-ins/Object/prototype/__defineGetter__", 1},
	{"test/built-ins/Object/prototype/__defineSetter__", 1},
	{"test/built-ins/Object/prototype/__lookupGetter__", 1},
	{"test/built-ins/Object/prototype/__lookupSetter__", 1},
	{"test/language/expressions/dynamic-import", 20},
	{"test/built-ins/Function/prototype/toString", 1},
}

// testCorpus opens the test262 checkout, skipping the test when it is not
// there.
func testCorpus(t *testing.T) *corpus {
	t.Helper()
	root, err := findCorpus("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); os.IsNotExist(err) {
		t.Skipf("no test262 checkout at %s", root)
	}
	c, err := newCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSample runs the sample in wsjs and fails on a failure
// expectations.txt does not list. It is skipped when the test262 checkout
// is not there.
func TestSample(t *testing.T) {
	c := testCorpus(t)
	var files []string
	for _, s := range sample {
		all, err := c.list([]string{s.dir})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(all); i += s.every {
			files = append(files, all[i])
		}
	}
	x, err := readExpectations(filepath.Join("expectations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// The race detector makes goja several times slower.
	results := engines["wsjs"].runAll(c, files, goruntime.GOMAXPROCS(0), 30*time.Second, nil)
	v := x.check(results)
	for _, r := range v.unexpectedFailures {
		t.Errorf("%s: %s (not in expectations.txt)", r.path, r.failure)
	}
	for _, p := range v.unexpectedPasses {
		t.Logf("%s is in expectations.txt but no test under it fails any more", p)
	}
	t.Logf("%d files", len(files))
}
