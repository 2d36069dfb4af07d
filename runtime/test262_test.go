package runtime

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestTest262 runs test262 files the way a user's script runs: through New,
// the loader (esbuild where goja lacks syntax) and the event loop, with every
// built-in the runtime installs. It measures rather than guards: it runs only
// when -test262.dirs names directories under test262's test/, and logs how
// many files pass in each, with -test262.failures the failures too.
//
//	go test ./runtime -run TestTest262 -test262.dirs=built-ins/WeakRef,language/expressions/dynamic-import
var (
	test262Dirs     = flag.String("test262.dirs", "", "comma-separated directories under test262's test/ to run")
	test262Root     = flag.String("test262", "", "test262 checkout (default: ../shared/test262 beside the repository)")
	test262Failures = flag.Bool("test262.failures", false, "log every failing file and why")
)

func TestTest262(t *testing.T) {
	if *test262Dirs == "" {
		t.Skip("no -test262.dirs")
	}
	root := *test262Root
	if root == "" {
		root = filepath.Join("..", "..", "shared", "test262")
	}
	if _, err := os.Stat(filepath.Join(root, "harness", "assert.js")); err != nil {
		t.Skipf("no test262 checkout at %s", root)
	}
	root, _ = filepath.Abs(root)
	h := &harness262{dir: filepath.Join(root, "harness"), programs: map[string]*goja.Program{}}
	for _, d := range strings.Split(*test262Dirs, ",") {
		files := list262(t, filepath.Join(root, "test", d))
		failed := make([]string, len(files))
		jobs := make(chan int)
		var wg sync.WaitGroup
		for range goruntime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := range jobs {
					failed[i] = h.runFile(files[i])
				}
			})
		}
		for i := range files {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		pass := 0
		var why []string
		for i, f := range failed {
			if f == "" {
				pass++
				continue
			}
			rel, _ := filepath.Rel(root, files[i])
			why = append(why, rel+": "+f)
		}
		sort.Strings(why)
		t.Logf("%s: %d/%d pass (%.0f%%)", d, pass, len(files), 100*float64(pass)/float64(max(len(files), 1)))
		if *test262Failures {
			for _, w := range why {
				t.Log("  " + w)
			}
		}
	}
}

func list262(t *testing.T, dir string) []string {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".js") || strings.Contains(p, "_FIXTURE") {
			return err
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// harness262 compiles each harness file once, for all runtimes.
type harness262 struct {
	dir      string
	mu       sync.Mutex
	programs map[string]*goja.Program
}

func (h *harness262) program(name string) (*goja.Program, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if p, ok := h.programs[name]; ok {
		return p, nil
	}
	src, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		return nil, err
	}
	p, err := goja.Compile(name, string(src), false)
	if err != nil {
		return nil, err
	}
	h.programs[name] = p
	return p, nil
}

// runFile runs the file in each mode its flags ask for and returns why it
// failed, or "".
func (h *harness262) runFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	src := string(b)
	flags, includes, negPhase, negType := meta262(src)
	modes := []bool{false, true}
	switch {
	case flags["module"], flags["onlyStrict"]:
		modes = []bool{true}
	case flags["noStrict"], flags["raw"]:
		modes = []bool{false}
	}
	for _, strict := range modes {
		err := h.run(path, src, strict, flags, includes)
		if negPhase != "" {
			err = negative262(err, negPhase, negType)
		}
		if err != nil {
			return fmt.Sprintf("strict=%v: %v", strict, err)
		}
	}
	return ""
}

func (h *harness262) run(path, src string, strict bool, flags map[string]bool, includes []string) error {
	var out syncBuffer
	rt, err := New(Options{Stdout: &out, Stderr: io.Discard, Dir: filepath.Dir(path)})
	if err != nil {
		return err
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if !flags["raw"] {
		names := []string{"assert.js", "sta.js"}
		if flags["async"] {
			names = append(names, "doneprintHandle.js")
		}
		err := rt.Do(ctx, func(vm *goja.Runtime) error {
			o := vm.NewObject()
			_ = o.Set("global", vm.GlobalObject())
			_ = o.Set("gc", func() { goruntime.GC() })
			_ = vm.Set("$262", o)
			_ = vm.Set("print", func(s string) { fmt.Fprintln(&out, s) })
			for _, n := range append(names, includes...) {
				p, err := h.program(n)
				if err != nil {
					return err
				}
				if _, err := vm.RunProgram(p); err != nil {
					return fmt.Errorf("harness %s: %w", n, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	name := filepath.Base(path)
	if flags["module"] {
		name = strings.TrimSuffix(name, ".js") + ".mjs"
	} else if strict {
		src = "'use strict';\n" + src
	}
	err = rt.RunScript(ctx, name, src)
	if err == nil && flags["async"] && !strings.Contains(out.String(), "Test262:AsyncTestComplete") {
		err = fmt.Errorf("async test did not complete: %q", out.String())
	}
	return err
}

// negative262 checks that err is the error a negative test expects.
func negative262(err error, phase, typ string) error {
	var le *LoadError
	var re *Error
	switch {
	case err == nil:
		return fmt.Errorf("expected %s (%s), got none", typ, phase)
	case (phase == "parse" || phase == "resolution") && errors.As(err, &le):
		return nil
	case phase == "runtime" && errors.As(err, &re) && strings.HasPrefix(re.Message, typ):
		return nil
	}
	return fmt.Errorf("expected %s (%s), got %v", typ, phase, err)
}

// meta262 reads the frontmatter: flags, includes and negative's phase and type.
func meta262(src string) (flags map[string]bool, includes []string, phase, typ string) {
	flags = map[string]bool{}
	start, end := strings.Index(src, "/*---"), strings.Index(src, "---*/")
	if start < 0 || end < start {
		return
	}
	var key string
	add := func(v string) {
		v = strings.Trim(strings.TrimSpace(v), `'"`)
		switch key {
		case "includes":
			includes = append(includes, v)
		case "flags":
			flags[v] = true
		}
	}
	front := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(src[start+5 : end])
	for _, line := range strings.Split(front, "\n") {
		trimmed := strings.TrimSpace(line)
		if line != "" && line[0] != ' ' && line[0] != '\t' {
			k, v, _ := strings.Cut(line, ":")
			key, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
				for _, item := range strings.Split(strings.Trim(v, "[]"), ",") {
					if strings.TrimSpace(item) != "" {
						add(item)
					}
				}
			}
			continue
		}
		if item, ok := strings.CutPrefix(trimmed, "- "); ok {
			add(item)
		} else if key == "negative" {
			k, v, _ := strings.Cut(trimmed, ":")
			switch strings.TrimSpace(k) {
			case "phase":
				phase = strings.TrimSpace(v)
			case "type":
				typ = strings.TrimSpace(v)
			}
		}
	}
	return
}
