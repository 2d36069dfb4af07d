package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wsjs/wsjs/wpt-runner/manifest"
	"github.com/wsjs/wsjs/wpt-runner/results"
)

// Exit statuses.
const (
	exitOK         = 0 // every result as expected
	exitUnexpected = 1 // some result differs from the expectations
	exitUsage      = 2 // bad flags, or the run could not start
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	jobs              int
	wptRoot           string
	timeoutMultiplier float64
	wptReport         string
	expectations      string
	expectationsSet   bool
	update            bool
	verbose           bool
	list              bool
	external          bool
	ext               externalConfig
	paths             []string
	skip              pathList
}

// pathList is a flag that can be given more than once, each time with one
// path relative to the WPT root.
type pathList []string

func (l *pathList) String() string { return strings.Join(*l, " ") }

func (l *pathList) Set(p string) error {
	*l = append(*l, "/"+strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/"))
	return nil
}

// covers reports whether the test URL u is the path of l, or under one.
func (l pathList) covers(u string) bool {
	for _, p := range l {
		if u == p || strings.HasPrefix(u, p+"/") {
			return true
		}
	}
	return false
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("wpt-runner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: wpt-runner [flags] [path or test URL ...]\n\n"+
			"Runs the web-platform-tests under the given paths (relative to --wpt-root;\n"+
			"default websockets/) and compares the results with the expectations.\n\nflags:\n")
		fs.PrintDefaults()
	}
	fs.IntVar(&c.jobs, "j", goruntime.NumCPU(), "number of tests to run in parallel")
	fs.StringVar(&c.wptRoot, "wpt-root", "", "WPT checkout (default: the first of ../shared/wpt beside the repository and /work/shared/wpt that exists)")
	fs.Float64Var(&c.timeoutMultiplier, "timeout-multiplier", 1, "multiply test timeouts (10 s, long 60 s) by this")
	fs.StringVar(&c.wptReport, "log-wptreport", "", "write the results to `FILE` in the JSON format wpt.fyi reads")
	fs.StringVar(&c.expectations, "expectations", "", "compare with the expectations in `PATH`, a file or a directory of one file per top-level WPT directory (default wpt-runner/expectations in the repository; \"none\" to not compare)")
	fs.BoolVar(&c.update, "update-expectations", false, "rewrite the expectations file with these results, keeping existing reasons")
	fs.BoolVar(&c.verbose, "v", false, "print failing subtests and each test's console output")
	fs.BoolVar(&c.list, "list", false, "list the test URLs and exit")
	fs.Var(&c.skip, "skip", "leave out the tests under `PATH` (relative to --wpt-root; may be given more than once)")
	fs.BoolVar(&c.external, "external", false, "run against a server you run (wpt serve) instead of the built-in one")
	fs.StringVar(&c.ext.host, "host", "web-platform.test", "with --external: the primary WPT host name")
	fs.IntVar(&c.ext.httpPort, "http-port", 8000, "with --external: the port of the first http server")
	fs.IntVar(&c.ext.httpsPort, "https-port", 8443, "with --external: the port of the first https server")
	fs.IntVar(&c.ext.h2Port, "h2-port", 9000, "with --external: the port of the HTTP/2 server")
	fs.StringVar(&c.ext.caFile, "ca-file", "", "with --external: PEM `FILE` of the CA that signed the server's certificate (WPT's tools/certs/cacert.pem)")
	fs.StringVar(&c.ext.resolve, "resolve", "", "with --external: resolve every WPT host name to this `IP` instead of asking the system resolver")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "expectations" {
			c.expectationsSet = true
		}
	})
	if c.jobs < 1 {
		return nil, fmt.Errorf("-j %d: need at least 1", c.jobs)
	}
	if c.timeoutMultiplier <= 0 {
		return nil, fmt.Errorf("--timeout-multiplier %v: must be positive", c.timeoutMultiplier)
	}
	c.paths = fs.Args()
	if len(c.paths) == 0 {
		c.paths = []string{"websockets"}
	}
	return c, nil
}

// repoRoot returns the directory of this repository's go.mod above the
// working directory, or "".
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/wsjs/wsjs\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func defaultWPTRoot(repo string) (string, error) {
	var candidates []string
	if repo != "" {
		candidates = append(candidates, filepath.Join(repo, "..", "shared", "wpt"))
	}
	candidates = append(candidates, "/work/shared/wpt")
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return filepath.Clean(c), nil
		}
	}
	return "", fmt.Errorf("no WPT checkout at %s; give one with --wpt-root", strings.Join(candidates, " or "))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "wpt-runner:", err)
		return exitUsage
	}
	repo := repoRoot()
	if c.wptRoot == "" {
		if c.wptRoot, err = defaultWPTRoot(repo); err != nil {
			fmt.Fprintln(stderr, "wpt-runner:", err)
			return exitUsage
		}
	}
	tests, problems, err := manifest.Find(c.wptRoot, c.paths...)
	if err != nil {
		fmt.Fprintln(stderr, "wpt-runner:", err)
		return exitUsage
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, "wpt-runner: skipped:", p)
	}
	tests = slices.DeleteFunc(tests, func(t manifest.Test) bool { return c.skip.covers(t.URL) })
	if c.list {
		for _, t := range tests {
			fmt.Fprintln(stdout, t.URL)
		}
		return exitOK
	}
	if len(tests) == 0 {
		fmt.Fprintln(stderr, "wpt-runner: no tests under", strings.Join(c.paths, " "))
		return exitUsage
	}

	expPath := c.expectations
	if !c.expectationsSet && repo != "" {
		expPath = filepath.Join(repo, "wpt-runner", "expectations")
	}
	if expPath == "none" {
		expPath = ""
	}
	var exp results.Expectations
	if expPath != "" {
		exp, err = loadExpectations(expPath, c.update, c.expectationsSet)
		if err != nil {
			fmt.Fprintln(stderr, "wpt-runner:", err)
			return exitUsage
		}
	}

	var e *env
	if c.external {
		e, err = externalEnv(c.ext)
	} else {
		e, err = builtinEnv(c.wptRoot, nil)
	}
	if err != nil {
		fmt.Fprintln(stderr, "wpt-runner:", err)
		return exitUsage
	}
	defer e.close()

	r := &runner{env: e, loader: newLoader(e.client), timeoutMultiplier: c.timeoutMultiplier, grace: 5 * time.Second}
	fmt.Fprintf(stderr, "wpt-runner: %d tests from %s, %d at a time, %s\n", len(tests), c.wptRoot, c.jobs, e.describe)
	start := time.Now()
	rs := runAll(ctx, r, tests, c, exp, stderr)
	end := time.Now()
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "wpt-runner: interrupted")
		return exitUsage
	}

	fmt.Fprintf(stdout, "\n%d tests in %.1fs\n", len(rs), end.Sub(start).Seconds())
	results.WriteSummary(stdout, rs)

	if c.wptReport != "" {
		rep := &results.Report{RunInfo: runInfo(), TimeStart: start, TimeEnd: end, Results: rs}
		if err := writeFile(c.wptReport, rep.WriteJSON); err != nil {
			fmt.Fprintln(stderr, "wpt-runner:", err)
			return exitUsage
		}
	}

	if exp == nil {
		return exitOK
	}
	diffs := exp.Compare(rs)
	if len(diffs) > 0 {
		fmt.Fprintf(stdout, "\n%d unexpected results (expectations %s):\n", len(diffs), expPath)
		for _, d := range diffs {
			fmt.Fprintln(stdout, " ", d)
		}
	} else {
		fmt.Fprintf(stdout, "\nall results as expected (%s)\n", expPath)
	}
	if c.update {
		stale := staleFunc(c.wptRoot, c.paths, tests)
		if len(c.skip) > 0 {
			// The entries of tests left out stay as they are.
			all := stale
			stale = func(u string) bool { return all(u) && !c.skip.covers(u) }
		}
		touched := map[string]bool{}
		for _, t := range tests {
			touched[expectationsFile(t.URL)] = true
		}
		for _, p := range c.paths {
			touched[expectationsFile("/"+filepath.ToSlash(filepath.Clean(p)))] = true
		}
		wrote, err := writeExpectations(expPath, exp.Update(rs, stale), touched)
		if err != nil {
			fmt.Fprintln(stderr, "wpt-runner:", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "wrote %s\n", strings.Join(wrote, " "))
		return exitOK
	}
	if len(diffs) > 0 {
		return exitUnexpected
	}
	return exitOK
}

// loadExpectations reads the expectations at path: a file, or a directory
// whose *.json files are read together (see expectationsFile).
func loadExpectations(path string, update, explicit bool) (results.Expectations, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		files, err := filepath.Glob(filepath.Join(path, "*.json"))
		if err != nil {
			return nil, err
		}
		all := results.Expectations{}
		for _, f := range files {
			exp, err := loadExpectationsFile(f)
			if err != nil {
				return nil, err
			}
			for url, e := range exp {
				all[url] = e
			}
		}
		return all, nil
	}
	exp, err := loadExpectationsFile(path)
	if errors.Is(err, os.ErrNotExist) && (update || !explicit) {
		if update {
			return results.Expectations{}, nil
		}
		return nil, nil // no default file: nothing to compare with
	}
	return exp, err
}

func loadExpectationsFile(path string) (results.Expectations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	exp, err := results.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return exp, nil
}

// expectationsFile is the file of an expectations directory that records
// the test URL test: one per top-level WPT directory, websockets.json for
// /websockets/..., dom.json for /dom/events/... and /dom/abort/....
func expectationsFile(test string) string {
	top, _, _ := strings.Cut(strings.TrimPrefix(test, "/"), "/")
	return top + ".json"
}

// writeExpectations writes exp to path, a file, or a directory of files
// split by expectationsFile, of which those named in touched (the files of
// the directories run), and returns the files written.
func writeExpectations(path string, exp results.Expectations, touched map[string]bool) ([]string, error) {
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		return []string{path}, writeFile(path, exp.Write)
	}
	parts := map[string]results.Expectations{}
	for url, e := range exp {
		name := expectationsFile(url)
		if parts[name] == nil {
			parts[name] = results.Expectations{}
		}
		parts[name][url] = e
	}
	var wrote []string
	for name, part := range parts {
		if !touched[name] {
			continue
		}
		f := filepath.Join(path, name)
		if err := writeFile(f, part.Write); err != nil {
			return wrote, err
		}
		wrote = append(wrote, f)
	}
	sort.Strings(wrote)
	return wrote, nil
}

// staleFunc reports the expectation entries that a run of paths would have
// produced if their tests still existed: entries under a directory that was
// run whose test URL was not found.
func staleFunc(root string, paths []string, tests []manifest.Test) func(string) bool {
	found := map[string]bool{}
	for _, t := range tests {
		found[t.URL] = true
	}
	var dirs []string
	for _, p := range paths {
		rel := strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/")
		if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err == nil && fi.IsDir() {
			if rel == "." || rel == "" {
				dirs = append(dirs, "/")
			} else {
				dirs = append(dirs, "/"+rel+"/")
			}
		}
	}
	return func(test string) bool {
		if found[test] {
			return false
		}
		for _, d := range dirs {
			if strings.HasPrefix(test, d) {
				return true
			}
		}
		return false
	}
}

func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".wpt-runner-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runInfo describes the run for the report.
func runInfo() map[string]any {
	info := map[string]any{
		"product":         "wsjs",
		"browser_version": "devel",
		"os":              goruntime.GOOS,
		"processor":       goruntime.GOARCH,
		"go_version":      goruntime.Version(),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info["browser_version"] = v
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				info["revision"] = s.Value
			}
		}
	}
	return info
}

// runAll runs the tests c.jobs at a time and returns their results in the
// order of tests, reporting progress on stderr.
func runAll(ctx context.Context, r *runner, tests []manifest.Test, c *config, exp results.Expectations, stderr io.Writer) []results.Result {
	rs := make([]results.Result, len(tests))
	p := newProgress(stderr, len(tests), c.verbose)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < c.jobs && w < len(tests); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p.start(tests[i].URL)
				res, log := r.run(ctx, tests[i])
				rs[i] = res
				var diffs []results.Diff
				if exp != nil {
					diffs = exp.Compare([]results.Result{res})
				}
				p.done(res, log, diffs)
			}
		}()
	}
	for i := range tests {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	p.finish()
	return rs
}
