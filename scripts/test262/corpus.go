package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// A corpus is a test262 checkout, read in place.
type corpus struct {
	root string

	mu       sync.Mutex
	includes map[string]string // harness file name -> contents
}

// A test is one test file.
type test struct {
	path string // relative to the corpus root, slash-separated: "test/built-ins/..."
	abs  string
	src  string
	meta *Meta
}

// defaultCorpus is where the corpus is looked for, relative to the
// repository root.
const defaultCorpus = "../shared/test262"

// findCorpus returns dir, or when dir is empty defaultCorpus relative to the
// repository root.
func findCorpus(dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, filepath.FromSlash(defaultCorpus)), nil
}

// repoRoot walks up from the working directory to the directory holding
// go.mod.
func repoRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("no go.mod above the working directory")
		}
		d = parent
	}
}

func newCorpus(root string) (*corpus, error) {
	if _, err := os.Stat(filepath.Join(root, "harness", "assert.js")); err != nil {
		return nil, fmt.Errorf("%s is not a test262 checkout: %w", root, err)
	}
	return &corpus{root: root, includes: map[string]string{}}, nil
}

// skipDir reports directories left out: Temporal, a proposal wsjs does not
// take on.
func skipDir(rel string) bool {
	return strings.HasSuffix(rel, "/Temporal")
}

// list returns the test files under the given paths (directories or files,
// relative to the corpus root), sorted. Fixtures (_FIXTURE.js) are not tests.
func (c *corpus) list(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		err := filepath.WalkDir(filepath.Join(c.root, filepath.FromSlash(p)), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(c.root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if skipDir(rel) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(rel, ".js") && !strings.Contains(rel, "_FIXTURE") && !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// load reads a test file and its frontmatter.
func (c *corpus) load(rel string) (*test, error) {
	abs := filepath.Join(c.root, filepath.FromSlash(rel))
	b, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	t := &test{path: rel, abs: abs, src: string(b)}
	if t.meta, err = parseMeta(t.src); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return t, nil
}

// include returns a harness file, read once per process.
func (c *corpus) include(name string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.includes[name]; ok {
		return s, nil
	}
	b, err := os.ReadFile(filepath.Join(c.root, "harness", filepath.FromSlash(name)))
	if err != nil {
		return "", err
	}
	c.includes[name] = string(b)
	return string(b), nil
}

// harness lists the harness files t needs, in order
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#test262-defined-bindings).
func harness(t *test) []string {
	if t.meta.Has("raw") {
		return nil
	}
	files := []string{"assert.js", "sta.js"}
	if t.meta.Has("async") {
		files = append(files, "doneprintHandle.js")
	}
	for _, f := range t.meta.Includes {
		if !contains(files, f) {
			files = append(files, f)
		}
	}
	return files
}
