package builtins

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// The RegExp test262 check runs the test262 files of RegExp and of the String
// methods that take one, each twice: in goja as it is and with this
// package's RegExp, both after esbuild lowers the regular expression literals
// goja cannot parse into RegExp calls, as the runtime's loader does. It fails
// if a file passes in goja alone and not with the RegExp here, or if a file
// makes Go panic with it. -test262.regexp adds the files that take seconds
// each (regexpTest262Heavy, property-escapes' 470 generated files among them)
// and lists the files that fail with the RegExp here.

var test262RegExp = flag.Bool("test262.regexp", false, "run all of RegExp's test262 files, property escapes included, and list failures")

var regexpTest262Dirs = []string{
	"test/built-ins/RegExp",
	"test/built-ins/String/prototype/match",
	"test/built-ins/String/prototype/matchAll",
	"test/built-ins/String/prototype/replace",
	"test/built-ins/String/prototype/replaceAll",
	"test/built-ins/String/prototype/search",
	"test/built-ins/String/prototype/split",
	"test/annexB/built-ins/RegExp",
	"test/language/literals/regexp",
}

// regexpTest262Heavy are the files (by part of their path) that take
// seconds each: those that match all of Unicode, and those that make a
// RegExp of each code unit. Only -test262.regexp runs them.
var regexpTest262Heavy = []string{
	"/property-escapes/generated/",
	"/CharacterClassEscapes/",
	"/character-class-escape-non-whitespace.js",
	"/named-groups/unicode-property-names-valid.js",
	"/RegExp-leading-escape-BMP.js",
	"/RegExp-trailing-escape-BMP.js",
	"/literals/regexp/S7.8.5_A1.1_T2.js",
	"/literals/regexp/S7.8.5_A1.4_T2.js",
	"/literals/regexp/S7.8.5_A2.1_T2.js",
	"/literals/regexp/S7.8.5_A2.4_T2.js",
}

func isHeavy(f *test262File) bool {
	return slices.ContainsFunc(regexpTest262Heavy, func(h string) bool { return strings.Contains(f.path, h) })
}

// loweredFeatures are the esbuild features the runtime's loader lowers
// (runtime/internal/loader: gojaUnsupported).
var loweredFeatures = map[string]bool{
	"async-generator": false, "decorators": false, "dynamic-import": false, "for-await": false,
	"import-meta": false, "regexp-match-indices": false, "regexp-set-notation": false,
	"regexp-unicode-property-escapes": false, "unicode-escapes": false, "using": false,
}

// lowerRegExps is what the loader does to a script's regular expressions.
// A file esbuild rejects is left as it is, for goja to judge.
func lowerRegExps(src string) string {
	res := api.Transform(src, api.TransformOptions{
		Loader:    api.LoaderJS,
		Supported: loweredFeatures,
		LogLevel:  api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		return src
	}
	return string(res.Code)
}

// newRegExpVM returns a goja runtime with this package's RegExp if withRegExp.
func newRegExpVM(withRegExp bool) (*goja.Runtime, error) {
	vm := goja.New()
	if withRegExp {
		return vm, installRegExp(bindings.NewEnv(webidl.NewRealm(vm), nil))
	}
	return vm, nil
}

func TestRegExpTest262(t *testing.T) {
	if testing.Short() {
		t.Skip("test262 takes a while")
	}
	root := findTest262(t)
	files, err := loadTest262(root, regexpTest262Dirs)
	if err != nil {
		t.Fatal(err)
	}
	if !*test262RegExp {
		files = slices.DeleteFunc(files, isHeavy)
	}
	h := &test262Harness{dir: filepath.Join(root, "harness"), programs: map[string]*goja.Program{}}
	if *test262RegExp {
		h.limit = time.Minute // goja builds the heavy files' strings of all Unicode slowly
	}
	modes := func(f *test262File) []bool {
		if isHeavy(f) {
			return f.modes()[:1] // one mode is enough to see the matching right
		}
		return f.modes()
	}
	runTest262(files, 2, modes, func(f *test262File, config int, strict bool) error {
		newVM := func() (*goja.Runtime, error) { return newRegExpVM(config == 1) }
		start := time.Now()
		err := h.runIn(f, strict, newVM, nil, lowerRegExps)
		if d := time.Since(start); d > 5*time.Second {
			t.Logf("slow (%v, config %d): %s", d, config, f.path)
		}
		return err
	})

	type tally struct{ files, before, after int }
	byDir := map[string]*tally{}
	var dirs []string
	for _, f := range files {
		name, _ := filepath.Rel(root, f.path)
		d := regexpTest262Group(name)
		if byDir[d] == nil {
			byDir[d] = &tally{}
			dirs = append(dirs, d)
		}
		before, after := f.failed[0] == nil, f.failed[1] == nil
		byDir[d].files++
		byDir[d].before += btoi(before)
		byDir[d].after += btoi(after)
		for _, why := range f.failed[1] {
			if strings.Contains(why, "Go panic") {
				t.Errorf("Go panic: %s: %s", name, why)
			}
		}
		switch {
		case before && !after:
			t.Errorf("regressed: %s: %s", name, strings.Join(f.failed[1], "; "))
		case !after && *test262RegExp:
			t.Logf("fails: %s: %.300s", name, strings.Join(f.failed[1], "; "))
		}
	}
	slices.Sort(dirs)
	var total tally
	for _, d := range dirs {
		c := byDir[d]
		t.Logf("%-58s %5d files, pass in goja %5d, with RegExp %5d", d, c.files, c.before, c.after)
		total.files += c.files
		total.before += c.before
		total.after += c.after
	}
	t.Logf("%-58s %5d files, pass in goja %5d, with RegExp %5d", "total", total.files, total.before, total.after)
}

// regexpTest262Group is the directory a file is counted under: RegExp's
// subdirectories one level down (two under prototype), the others whole.
func regexpTest262Group(name string) string {
	parts := strings.Split(filepath.ToSlash(name), "/")
	n := 4
	if len(parts) > 3 && parts[2] == "RegExp" && parts[3] == "prototype" {
		n = 5
	}
	if len(parts) > 3 && parts[1] == "built-ins" && parts[2] == "String" {
		n = 5
	}
	if len(parts)-1 < n {
		n = len(parts) - 1
	}
	return fmt.Sprint(strings.Join(parts[:n], "/"))
}
