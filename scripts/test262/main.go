package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"time"
)

// defaultPaths are the directories run when none are given.
var defaultPaths = []string{"test/built-ins", "test/language", "test/annexB"}

// engines are the engines -engine can name.
var engines = map[string]*engine{
	"wsjs": {name: "wsjs", run: runWsjs},
	"goja": {name: "goja", run: runGoja},
	"node": {name: "node", run: runNode, canBlock: true},
}

func main() {
	os.Exit(run())
}

func run() int {
	var (
		dir     = flag.String("test262", "", "test262 checkout (default "+defaultCorpus+" relative to the repository root)")
		jobs    = flag.Int("j", goruntime.GOMAXPROCS(0), "tests run at once")
		timeout = flag.Duration("timeout", 10*time.Second, "time limit of one test in one mode")
		engList = flag.String("engine", "wsjs", "comma-separated engines to run: wsjs, goja (plain goja), node")
		expFile = flag.String("expectations", "", "expectations file of wsjs (default scripts/test262/expectations.txt in the repository)")
		update  = flag.Bool("update", false, "rewrite the expectations file from this run's wsjs results")
		summary = flag.Bool("summary", false, "print a table of files passing per directory and feature")
		verbose = flag.Bool("v", false, "print every failure, expected or not")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: test262 [flags] [path ...]\n\npaths are directories or files relative to the checkout (default %s)\n\n", strings.Join(defaultPaths, " "))
		flag.PrintDefaults()
	}
	flag.Parse()
	root, err := findCorpus(*dir)
	if err == nil && *expFile == "" {
		*expFile, err = defaultExpectations()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "test262:", err)
		return 2
	}
	c, err := newCorpus(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "test262:", err)
		return 2
	}
	paths := flag.Args()
	if len(paths) == 0 {
		paths = defaultPaths
	}
	files, err := c.list(normalize(paths))
	if err != nil {
		fmt.Fprintln(os.Stderr, "test262:", err)
		return 2
	}
	names := strings.Split(*engList, ",")
	all := make([][]result, len(names))
	status := 0
	for i, name := range names {
		e := engines[name]
		if e == nil {
			fmt.Fprintf(os.Stderr, "test262: unknown engine %q\n", name)
			return 2
		}
		start := time.Now()
		all[i] = e.runAll(c, files, *jobs, *timeout, progress(len(files), *verbose))
		fmt.Fprintf(os.Stderr, "\r%s: %d files in %s\n", name, len(files), time.Since(start).Round(time.Second))
		if name == "wsjs" {
			if s := compare(all[i], *expFile, *update); s > status {
				status = s
			}
		}
	}
	if *summary {
		if err := writeSummary(os.Stdout, names, all); err != nil {
			fmt.Fprintln(os.Stderr, "test262:", err)
			return 2
		}
	}
	return status
}

// normalize lets paths be given without the leading "test/".
func normalize(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		p = filepath.ToSlash(filepath.Clean(p))
		if p != "test" && !strings.HasPrefix(p, "test/") && !strings.HasPrefix(p, "harness") {
			p = "test/" + p
		}
		out[i] = p
	}
	return out
}

func defaultExpectations() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "scripts", "test262", "expectations.txt"), nil
}

// progress returns a function that shows how far a run is, and with verbose
// each failure.
func progress(total int, verbose bool) func(result) {
	done, failed := 0, 0
	return func(r result) {
		done++
		if r.failure != "" {
			failed++
			if verbose {
				fmt.Fprintf(os.Stderr, "\rFAIL %s: %s\n", r.path, firstLine(r.failure))
			}
		}
		if done%100 == 0 || done == total {
			fmt.Fprintf(os.Stderr, "\r%d/%d files, %d failing", done, total, failed)
		}
	}
}

// compare checks results against the expectations file, or rewrites it,
// and returns the exit status: 1 on an unexpected failure.
func compare(results []result, file string, update bool) int {
	x, err := readExpectations(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "test262:", err)
		return 2
	}
	if update {
		f, err := os.Create(file)
		if err == nil {
			err = x.update(results).write(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "test262:", err)
			return 2
		}
		fmt.Fprintln(os.Stderr, "wrote", file)
		return 0
	}
	v := x.check(results)
	for _, r := range v.unexpectedFailures {
		fmt.Printf("UNEXPECTED FAIL %s: %s\n", r.path, firstLine(r.failure))
	}
	for _, p := range v.unexpectedPasses {
		fmt.Printf("UNEXPECTED PASS %s (remove it from %s, or run with -update)\n", p, file)
	}
	pass, skip := 0, 0
	for _, r := range results {
		switch {
		case r.skipped != "":
			skip++
		case r.failure == "":
			pass++
		}
	}
	fmt.Printf("wsjs: %d passed, %d failed (%d unexpectedly), %d skipped, %d expectations no longer needed\n",
		pass, len(results)-pass-skip, len(v.unexpectedFailures), skip, len(v.unexpectedPasses))
	if len(v.unexpectedFailures) > 0 {
		return 1
	}
	return 0
}
