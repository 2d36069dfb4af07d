package builtins

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
)

// The test262 check runs the test262 files of the built-ins the size bounds
// replace twice, in goja with this package's built-ins installed without bounds
// and with them, and fails if a file that passes without the bounds fails with
// them. Files that need what goja lacks fail both ways; they are counted, not
// skipped. By default it runs the directories of the constructors and methods
// themselves; -test262.all adds the rest of TypedArray and
// TypedArrayConstructors (methods and internals, some 2,000 more files).

var (
	test262Root = flag.String("test262", "", "test262 checkout (default: ../shared/test262 beside the repository)")
	test262All  = flag.Bool("test262.all", false, "run all of test/built-ins/{ArrayBuffer,SharedArrayBuffer,Atomics,DataView,TypedArray,TypedArrayConstructors}")
)

// test262Dirs are the directories run by default, and with -test262.all;
// both end with test262MethodDirs.
var (
	test262Dirs = append([]string{
		"test/built-ins/ArrayBuffer",
		"test/built-ins/SharedArrayBuffer",
		"test/built-ins/TypedArrayConstructors/ctors",
		"test/built-ins/TypedArrayConstructors/ctors-bigint",
		"test/built-ins/TypedArrayConstructors/from",
		"test/built-ins/TypedArrayConstructors/of",
		"test/built-ins/TypedArray/from",
		"test/built-ins/TypedArray/of",
		"test/built-ins/TypedArray/Symbol.species",
	}, test262MethodDirs...)
	test262AllDirs = append([]string{
		"test/built-ins/ArrayBuffer",
		"test/built-ins/SharedArrayBuffer",
		"test/built-ins/Atomics",
		"test/built-ins/DataView",
		"test/built-ins/TypedArray",
		"test/built-ins/TypedArrayConstructors",
	}, test262MethodDirs...)
	// test262MethodDirs are those of the other built-ins the package replaces.
	test262MethodDirs = []string{
		"test/built-ins/String/prototype/repeat",
		"test/built-ins/String/prototype/padStart",
		"test/built-ins/String/prototype/padEnd",
		"test/built-ins/Array/prototype/join",
		"test/built-ins/Array/prototype/toString",
		"test/built-ins/Array/prototype/indexOf",
		"test/built-ins/Array/prototype/lastIndexOf",
		"test/built-ins/Array/prototype/includes",
		"test/built-ins/Array/prototype/flat",
		"test/built-ins/ArrayIteratorPrototype",
		"test/built-ins/MapIteratorPrototype",
		"test/built-ins/SetIteratorPrototype",
		"test/built-ins/StringIteratorPrototype",
		"test/built-ins/RegExpStringIteratorPrototype",
		"test/built-ins/JSON",
		"test/built-ins/Function",
		"test/built-ins/AsyncFunction",
		"test/built-ins/GeneratorFunction",
		"test/built-ins/AsyncGeneratorFunction",
	}
)

// test262FileLimit bounds the time one file takes in one mode and
// configuration; the race detector makes goja several times slower.
const test262FileLimit = raceSlowdown * 10 * time.Second

func TestTest262NoRegression(t *testing.T) {
	root := findTest262(t)
	dirs := test262Dirs
	if *test262All {
		dirs = test262AllDirs
	}
	files, err := loadTest262(root, dirs)
	if err != nil {
		t.Fatal(err)
	}
	h := &test262Harness{dir: filepath.Join(root, "harness"), programs: map[string]*goja.Program{}}
	// Each file runs in each mode, without the bounds and with the defaults
	// the runtime package gives them.
	configs := test262Configs
	runTest262(files, len(configs), nil, func(f *test262File, config int, strict bool) error {
		return h.run(f, strict, configs[config].opts, configs[config].plain)
	})

	report262(t, root, dirs, files)
}

// runTest262 runs each of files in each of its modes (those modes picks, if
// not nil) in each of n configurations, GOMAXPROCS at a time, and records
// the failures run returns in the files.
func runTest262(files []*test262File, n int, modes func(*test262File) []bool, run func(f *test262File, config int, strict bool) error) {
	type job struct {
		f      *test262File
		config int
		strict bool
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := run(j.f, j.config, j.strict); err != nil {
					mode := map[bool]string{false: "non-strict", true: "strict"}[j.strict]
					j.f.fail(j.config, mode+": "+err.Error())
				}
			}
		}()
	}
	for _, f := range files {
		ms := f.modes()
		if modes != nil {
			ms = modes(f)
		}
		for c := range n {
			for _, strict := range ms {
				jobs <- job{f: f, config: c, strict: strict}
			}
		}
	}
	close(jobs)
	wg.Wait()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// findTest262 returns the test262 checkout, or skips the test saying why.
func findTest262(t *testing.T) string {
	candidates := []string{*test262Root}
	if *test262Root == "" {
		candidates = []string{filepath.Join("..", "..", "..", "shared", "test262")}
	}
	for _, c := range candidates {
		if _, err := os.Stat(filepath.Join(c, "harness", "assert.js")); err == nil {
			return c
		}
	}
	t.Skipf("no test262 checkout at %v (set -test262)", candidates)
	return ""
}

// test262File is one test file and, for each configuration, why it failed.
type test262File struct {
	path, src string
	meta      test262Meta
	mu        sync.Mutex
	failed    [len(test262Configs)][]string
}

func (f *test262File) fail(config int, why string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed[config] = append(f.failed[config], why)
}

// modes returns the modes the file runs in: strict or not, as its flags say.
func (f *test262File) modes() []bool {
	switch {
	case f.meta.flags["onlyStrict"]:
		return []bool{true}
	case f.meta.flags["noStrict"], f.meta.flags["raw"]:
		return []bool{false}
	}
	return []bool{false, true}
}

// loadTest262 reads the test files under dirs, leaving out the fixtures
// other files import.
func loadTest262(root string, dirs []string) ([]*test262File, error) {
	var files []*test262File
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".js") || strings.Contains(p, "_FIXTURE") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files = append(files, &test262File{path: p, src: string(b), meta: parseTest262Meta(string(b))})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// test262Harness compiles the harness files once, for all runtimes.
type test262Harness struct {
	dir      string
	mu       sync.Mutex
	programs map[string]*goja.Program
	limit    time.Duration // for one file; zero means test262FileLimit
}

func (h *test262Harness) program(name string) (*goja.Program, error) {
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

// run runs f in one mode in a fresh runtime with the built-ins installed with
// opts, and returns why it failed, or nil.
func (h *test262Harness) run(f *test262File, strict bool, opts Options, plain bool) error {
	if !plain && slices.Contains(f.meta.features, "Atomics.waitAsync") && strings.Contains(f.src, "$262.agent.start") {
		// Agents that wait asynchronously need event loops, which this
		// runner does not give them: each such file would take its time limit.
		return errors.New("needs agents with event loops")
	}
	if plain {
		return h.runIn(f, strict, func() (*goja.Runtime, error) { return goja.New(), nil }, nil, nil)
	}
	// The main agent can block unless the file says it cannot
	// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#flags).
	global := bindings.DedicatedWorker
	if f.meta.flags["CanBlockIsFalse"] {
		global = bindings.Window
	}
	agents := &test262Agents{h: h, opts: opts, done: make(chan struct{})}
	defer agents.stop()
	newVM := func() (*goja.Runtime, error) { return newRuntimeIn(opts, global) }
	return h.runIn(f, strict, newVM, func(vm *goja.Runtime) { agents.install(vm, nil) }, nil)
}

// runIn runs f in one mode in the runtime newVM returns, with prepare (if not
// nil) called once $262 is installed, and f's source (less the harness)
// passed through transform if that is not nil.
func (h *test262Harness) runIn(f *test262File, strict bool, newVM func() (*goja.Runtime, error), prepare func(*goja.Runtime), transform func(string) string) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("Go panic: %v\n%s", x, debug.Stack())
		}
	}()
	meta, src := f.meta, f.src
	vm, err := newVM()
	if err != nil {
		return err
	}
	install262(vm)
	if prepare != nil {
		prepare(vm)
	}
	var printed strings.Builder
	_ = vm.Set("print", func(s string) { printed.WriteString(s + "\n") })
	limit := h.limit
	if limit == 0 {
		limit = test262FileLimit
	}
	timer := time.AfterFunc(limit, func() { vm.Interrupt("time limit") })
	defer timer.Stop()
	if !meta.flags["raw"] {
		includes := []string{"assert.js", "sta.js"}
		if meta.flags["async"] {
			includes = append(includes, "doneprintHandle.js")
		}
		for _, inc := range append(includes, meta.includes...) {
			p, err := h.program(inc)
			if err != nil {
				return err
			}
			if _, err := vm.RunProgram(p); err != nil {
				return fmt.Errorf("harness %s: %w", inc, err)
			}
		}
	}
	if strict {
		src = "'use strict';\n" + src
	}
	if transform != nil {
		src = transform(src)
	}
	p, err := goja.Compile(f.path, src, false)
	if err == nil {
		_, err = vm.RunProgram(p)
	}
	if meta.negativePhase != "" {
		return checkNegative(err, meta)
	}
	if err != nil {
		return err
	}
	if meta.flags["async"] && !strings.Contains(printed.String(), "Test262:AsyncTestComplete") {
		return fmt.Errorf("async test did not complete: %s", printed.String())
	}
	return nil
}

// checkNegative checks that err is the error a negative test expects.
func checkNegative(err error, meta test262Meta) error {
	var syntax *goja.CompilerSyntaxError
	var exc *goja.Exception
	switch {
	case err == nil:
		return fmt.Errorf("expected %s (%s), got none", meta.negativeType, meta.negativePhase)
	case meta.negativePhase == "parse" && errors.As(err, &syntax) && meta.negativeType == "SyntaxError":
		return nil
	case meta.negativePhase == "runtime" && errors.As(err, &exc):
		if o, ok := exc.Value().(*goja.Object); ok {
			if c, ok := o.Get("constructor").(*goja.Object); ok && c.Get("name").String() == meta.negativeType {
				return nil
			}
		}
	}
	return fmt.Errorf("expected %s (%s), got %v", meta.negativeType, meta.negativePhase, err)
}

// install262 defines the $262 host object the tests use
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#host-defined-functions),
// less createRealm and agent, which goja cannot provide.
func install262(vm *goja.Runtime) {
	o := vm.NewObject()
	_ = o.Set("global", vm.GlobalObject())
	_ = o.Set("gc", func() { runtime.GC() })
	_ = o.Set("evalScript", func(src string) (goja.Value, error) { return vm.RunString(src) })
	_ = o.Set("detachArrayBuffer", func(call goja.FunctionCall) goja.Value {
		if b, ok := call.Argument(0).Export().(goja.ArrayBuffer); ok {
			b.Detach()
			return goja.Null()
		}
		panic(vm.NewTypeError("not an ArrayBuffer"))
	})
	_ = vm.Set("$262", o)
}

// test262Meta is what the runner needs of a test's frontmatter.
type test262Meta struct {
	includes, features          []string
	flags                       map[string]bool
	negativePhase, negativeType string
}

// parseTest262Meta reads the frontmatter between /*--- and ---*/: the lists
// includes and flags (in either YAML form) and negative's phase and type.
func parseTest262Meta(src string) test262Meta {
	m := test262Meta{flags: map[string]bool{}}
	start := strings.Index(src, "/*---")
	end := strings.Index(src, "---*/")
	if start < 0 || end < start {
		return m
	}
	var key string
	add := func(v string) {
		v = strings.Trim(strings.TrimSpace(v), `'"`)
		switch key {
		case "includes":
			m.includes = append(m.includes, v)
		case "flags":
			m.flags[v] = true
		case "features":
			m.features = append(m.features, v)
		}
	}
	for _, line := range strings.Split(src[start+5:end], "\n") {
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
				m.negativePhase = strings.TrimSpace(v)
			case "type":
				m.negativeType = strings.TrimSpace(v)
			}
		}
	}
	return m
}
