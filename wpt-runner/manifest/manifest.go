package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Type says what kind of source file a test comes from, which decides how
// its page is built.
type Type int

const (
	// AnyJS is a .any.js file; the page is generated for its Global.
	AnyJS Type = iota
	// WindowJS is a .window.js file; the page is generated.
	WindowJS
	// WorkerJS is a .worker.js file; the page is generated and runs it in a
	// dedicated worker.
	WorkerJS
	// HTML is an .html or .htm file, which is its own page.
	HTML
)

func (t Type) String() string {
	switch t {
	case AnyJS:
		return "any.js"
	case WindowJS:
		return "window.js"
	case WorkerJS:
		return "worker.js"
	case HTML:
		return "html"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// A Test is one test URL of a testharness.js test.
type Test struct {
	// URL is the test's path and query as WPT names it, e.g.
	// "/websockets/Close-1000.any.html?wss". It is not percent-encoded.
	URL string
	// File is the source file, a slash-separated path relative to the root.
	File string
	// Type is the kind of source file.
	Type Type
	// Global is the global scope the test code runs in: the one it was
	// expanded for (AnyJS), Window (WindowJS, HTML) or DedicatedWorker
	// (WorkerJS).
	Global Global
	// Variant is the variant the URL was made for ("" or "?..." or "#...").
	Variant string
	// Long reports a long timeout ("// META: timeout=long" or
	// <meta name=timeout content=long>).
	Long bool
	// Meta is the metadata header of a JavaScript source file.
	Meta []Meta
}

// flags returns the test's flags: the dot-separated parts of its file name
// between the first and the last, and the values of "wpt_flags" in its query
// (tools/manifest/item.py, URLManifestItem).
func (t Test) flags() map[string]bool {
	u, q, _ := strings.Cut(t.URL, "?")
	u, _, _ = strings.Cut(u, "#")
	q, _, _ = strings.Cut(q, "#")
	name := path.Base(u)
	parts := strings.Split(name, ".")
	f := map[string]bool{}
	if len(parts) > 2 {
		for _, p := range parts[1 : len(parts)-1] {
			f[p] = true
		}
	}
	if vals, err := url.ParseQuery(q); err == nil {
		for _, v := range vals["wpt_flags"] {
			f[v] = true
		}
	}
	return f
}

// HTTPS reports whether the test is loaded over HTTPS: its file name or
// wpt_flags say "https", or it runs in a service worker.
func (t Test) HTTPS() bool {
	f := t.flags()
	return f["https"] || f["serviceworker"] || f["serviceworker-module"]
}

// H2 reports whether the test is loaded from the HTTP/2 server: its file name
// or wpt_flags say "h2".
func (t Test) H2() bool { return t.flags()["h2"] }

// Subdomain reports whether the test is loaded from the "www" subdomain.
func (t Test) Subdomain() bool { return t.flags()["www"] }

// Scripts returns the "// META: script=" values of a JavaScript test.
func (t Test) Scripts() []string { return metaValues(t.Meta, "script") }

// Title returns the "// META: title=" value of a JavaScript test.
func (t Test) Title() string {
	v, _ := firstMeta(t.Meta, "title")
	return v
}

// A Problem is a source file that could not be turned into tests, or a part
// of one that was ignored.
type Problem struct {
	File string // slash-separated, relative to the root
	Text string
}

func (p Problem) Error() string { return p.File + ": " + p.Text }

// ErrNotFound is returned (wrapped) by Find for an argument that names no
// file, directory or test URL under the root.
var ErrNotFound = errors.New("no such test file, directory or test URL")

// Find returns the tests that args select under root, sorted by URL. Each
// argument is a path relative to root (a leading "/" is allowed): a directory
// selects every test below it, a source file every test made from it, and a
// test URL ("/websockets/Close-1000.any.html?wss", or without the query for
// all its variants) that test alone. Problems with single files do not stop
// the search; they are returned beside the tests.
func Find(root string, args ...string) ([]Test, []Problem, error) {
	seen := map[string]bool{}
	var tests []Test
	var problems []Problem
	for _, arg := range args {
		ts, ps, err := find(root, arg)
		if err != nil {
			return nil, nil, err
		}
		problems = append(problems, ps...)
		for _, t := range ts {
			if !seen[t.URL] {
				seen[t.URL] = true
				tests = append(tests, t)
			}
		}
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].URL < tests[j].URL })
	return tests, problems, nil
}

func find(root, arg string) ([]Test, []Problem, error) {
	rel := strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(arg)), "/")
	full := filepath.Join(root, filepath.FromSlash(rel))
	if fi, err := os.Stat(full); err == nil {
		if fi.IsDir() {
			return walk(root, rel)
		}
		ts, err := fileTests(root, rel)
		if err != nil {
			return nil, []Problem{{rel, err.Error()}}, nil
		}
		return ts, nil, nil
	}
	// A test URL: look at the tests of the files in its directory.
	want := "/" + strings.TrimPrefix(filepath.ToSlash(arg), "/")
	dir := path.Dir(strings.TrimPrefix(strings.SplitN(strings.SplitN(want, "?", 2)[0], "#", 2)[0], "/"))
	if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir))); err == nil && fi.IsDir() {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			return nil, nil, err
		}
		var out []Test
		var problems []Problem
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			frel := path.Join(dir, e.Name())
			if dir == "." {
				frel = e.Name()
			}
			ts, err := fileTests(root, frel)
			if err != nil {
				problems = append(problems, Problem{frel, err.Error()})
				continue
			}
			for _, t := range ts {
				if t.URL == want || !strings.ContainsAny(want, "?#") && strings.SplitN(t.URL, "?", 2)[0] == want {
					out = append(out, t)
				}
			}
		}
		if len(out) > 0 {
			return out, problems, nil
		}
	}
	return nil, nil, fmt.Errorf("%s: %w under %s", arg, ErrNotFound, root)
}

// walk returns the tests of every file under the directory rel.
func walk(root, rel string) ([]Test, []Problem, error) {
	var tests []Test
	var problems []Problem
	base := filepath.Join(root, filepath.FromSlash(rel))
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, Problem{relPath(root, p), err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		r := relPath(root, p)
		if d.IsDir() {
			if p != base && skipDir(r) {
				return fs.SkipDir
			}
			return nil
		}
		ts, err := fileTests(root, r)
		if err != nil {
			problems = append(problems, Problem{r, err.Error()})
			return nil
		}
		tests = append(tests, ts...)
		return nil
	})
	return tests, problems, err
}

func relPath(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// nonTestDirs hold no tests wherever they are (tools/manifest/sourcefile.py,
// dir_non_test); handlers/ holds the WebSocket handlers of the server.
var nonTestDirs = map[string]bool{"resources": true, "support": true, "tools": true, "handlers": true}

func skipDir(rel string) bool {
	parts := strings.Split(rel, "/")
	last := parts[len(parts)-1]
	return nonTestDirs[last] || strings.HasPrefix(last, ".") || last == "crashtests" ||
		len(parts) == 1 && last == "common"
}

// referenceFile matches the names of reftest references.
var referenceFile = regexp.MustCompile(`(^|[\-_])(not)?ref[0-9]*([\-_]|$)`)

// isNonTest reports whether rel can never be a test, by its name and place
// alone (tools/manifest/sourcefile.py: name_is_non_test, name_is_manual,
// name_is_visual, name_is_reference, name_is_crashtest).
func isNonTest(rel string) bool {
	dir, file := path.Split(rel)
	if dir == "" || strings.HasPrefix(file, ".") || strings.HasPrefix(file, "MANIFEST") ||
		file == "META.yml" || strings.HasSuffix(file, ".headers") || strings.HasSuffix(file, ".ini") {
		return true
	}
	for _, part := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		if nonTestDirs[part] || part == "crashtests" || strings.HasPrefix(part, ".") {
			return true
		}
	}
	if strings.HasPrefix(rel, "common/") || strings.Contains("/"+rel, "/reference/") {
		return true
	}
	name := strings.TrimSuffix(file, path.Ext(file))
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		flag, _, _ := strings.Cut(name[i+1:], ".")
		if flag == "manual" || flag == "visual" || flag == "crash" {
			return true
		}
	}
	return referenceFile.MatchString(name)
}

// fileTests returns the tests made from the file rel (none for a file that
// is not a test).
func fileTests(root, rel string) ([]Test, error) {
	if isNonTest(rel) {
		return nil, nil
	}
	file := path.Base(rel)
	ext := path.Ext(file)
	flags := strings.Split(strings.TrimSuffix(file, ext), ".")[1:]
	has := func(f string) bool {
		for _, x := range flags {
			if x == f {
				return true
			}
		}
		return false
	}
	switch {
	case ext == ".js" && has("any"):
		return jsTests(root, rel, AnyJS)
	case ext == ".js" && has("worker"):
		return jsTests(root, rel, WorkerJS)
	case ext == ".js" && has("window"):
		return jsTests(root, rel, WindowJS)
	case ext == ".html" || ext == ".htm":
		return htmlTests(root, rel)
	}
	return nil, nil
}

func readFile(root, rel string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
	}
	return b, err
}

// checkVariants applies the rules of tools/manifest/sourcefile.py
// (test_variants): a non-empty variant starts with "?" or "#" and is not an
// empty query or fragment. No variant at all means one, empty.
func checkVariants(vs []string) ([]string, error) {
	for _, v := range vs {
		if v == "" {
			continue
		}
		if v[0] != '?' && v[0] != '#' {
			return nil, fmt.Errorf("variant %q does not start with \"?\" or \"#\"", v)
		}
		if len(v) == 1 || v[0] == '?' && v[1] == '#' {
			return nil, fmt.Errorf("variant %q has an empty query or fragment", v)
		}
	}
	if len(vs) == 0 {
		return []string{""}, nil
	}
	return vs, nil
}

func jsTests(root, rel string, typ Type) ([]Test, error) {
	src, err := readFile(root, rel)
	if err != nil {
		return nil, err
	}
	meta := ParseMeta(src)
	variants, err := checkVariants(metaValues(meta, "variant"))
	if err != nil {
		return nil, err
	}
	long := false
	for _, v := range metaValues(meta, "timeout") {
		if v == "long" {
			long = true
		}
	}
	type page struct {
		url    string
		global Global
	}
	var pages []page
	switch typ {
	case AnyJS:
		g, _ := firstMeta(meta, "global")
		gs, unknown := ParseGlobals(g)
		if len(unknown) > 0 && len(gs) == 0 {
			return nil, fmt.Errorf("META global=%s names no global WPT knows", g)
		}
		for _, gl := range gs {
			pages = append(pages, page{anyURL(rel, gl), gl})
		}
		sort.Slice(pages, func(i, j int) bool { return pages[i].url < pages[j].url })
	case WindowJS:
		pages = []page{{"/" + strings.TrimSuffix(rel, ".window.js") + ".window.html", Window}}
	case WorkerJS:
		pages = []page{{"/" + strings.TrimSuffix(rel, ".worker.js") + ".worker.html", DedicatedWorker}}
	}
	var tests []Test
	for _, p := range pages {
		for _, v := range variants {
			tests = append(tests, Test{URL: p.url + v, File: rel, Type: typ, Global: p.global, Variant: v, Long: long, Meta: meta})
		}
	}
	return tests, nil
}

// anyURL returns the test URL of the .any.js file rel for global g
// (tools/manifest/sourcefile.py, global_suffixes and global_variant_url).
func anyURL(rel string, g Global) string {
	info := globals[string(g)]
	suffix := info.suffix
	if info.forceHTTPS {
		suffix = ".https" + suffix
	}
	u := "/" + strings.ReplaceAll(rel, ".any.", ".")
	if strings.HasPrefix(suffix, ".https.") && strings.Contains(u, ".https.") {
		u = strings.ReplaceAll(u, ".https.", ".")
	} else if strings.HasPrefix(suffix, ".h2.") && strings.Contains(u, ".h2.") {
		u = strings.ReplaceAll(u, ".h2.", ".")
	}
	return strings.TrimSuffix(u, ".js") + suffix
}

func htmlTests(root, rel string) ([]Test, error) {
	src, err := readFile(root, rel)
	if err != nil {
		return nil, err
	}
	page := ParseHTML(src)
	if !loadsTestharness(rel, page) {
		return nil, nil
	}
	variants, err := checkVariants(page.Variants)
	if err != nil {
		return nil, err
	}
	long := strings.EqualFold(page.Timeout, "long")
	var tests []Test
	for _, v := range variants {
		tests = append(tests, Test{URL: "/" + rel + v, File: rel, Type: HTML, Global: Window, Variant: v, Long: long})
	}
	return tests, nil
}

// loadsTestharness reports whether the page at rel has a script whose src
// resolves to /resources/testharness.js, which makes it a testharness.js test
// (tools/manifest/sourcefile.py, content_is_testharness).
func loadsTestharness(rel string, p Page) bool {
	base := &url.URL{Path: "/" + rel}
	for _, s := range p.Scripts {
		if !s.HasSrc {
			continue
		}
		ref, err := url.Parse(strings.Trim(s.Src, " \t\n\f\r"))
		if err != nil {
			continue
		}
		if r := base.ResolveReference(ref); r.Scheme == "" && r.Host == "" && r.Path == "/resources/testharness.js" && r.RawQuery == "" && r.Fragment == "" {
			return true
		}
	}
	return false
}
