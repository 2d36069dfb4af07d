package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "client" {
		if err := clientMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "wsbench client:", err)
			os.Exit(1)
		}
		return
	}
	if err := driverMain(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		os.Exit(1)
	}
}

// clientMain is `wsbench client SERVER-URL SCENARIO [NAME=VALUE...]`, the plain Go
// client, with the arguments bench.js takes.
func clientMain(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: wsbench client SERVER-URL SCENARIO [NAME=VALUE...]")
	}
	params, err := parseParams(args[2:])
	if err != nil {
		return err
	}
	return runGoClient(args[0], args[1], params)
}

func parseParams(args []string) (map[string]float64, error) {
	params := map[string]float64{}
	for _, kv := range args {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("parameter %q is not NAME=VALUE", kv)
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", kv, err)
		}
		params[name] = v
	}
	return params, nil
}

// scenario is one row of the table.
type scenario struct {
	name   string // as bench.js knows it
	title  string
	unit   string
	higher bool     // higher values are better
	full   []string // parameters of a full run
	quick  []string // parameters of a QUICK=1 run
}

var scenarios = []scenario{
	{"pingpong", "ping-pong 32 B", "round trips/s", true, []string{"warm=300", "ms=1000"}, []string{"warm=100", "ms=300"}},
	{"stream", "streaming 64 B", "msgs/s", true, []string{"warm=20000", "count=300000"}, []string{"warm=5000", "count=50000"}},
	{"echo1m", "1 MiB binary echo", "MB/s", true, []string{"warm=300", "ms=1000"}, []string{"warm=100", "ms=300"}},
	{"fanout", "fan-out 1,000 conns x 20", "msgs/s", true, []string{"conns=1000", "msgs=20", "rounds=5"}, []string{"conns=200", "msgs=20", "rounds=2"}},
	{"idle", "idle memory, 10,000 open", "bytes/conn", false, []string{"conns=10000", "settle=500"}, []string{"conns=1000", "settle=200"}},
	{"startup", "startup, empty script", "ms", false, nil, nil},
}

// runner is one runtime under test.
type runner struct {
	name    string
	bench   []string // command before SERVER-URL SCENARIO PARAMS
	startup []string // command run empty for the start-up time; nil: not measured
	env     []string
}

// config is what the driver was told.
type config struct {
	dir     string // scripts/wsbench, holding bench.js
	cache   string // npm packages: node_modules/{ws,undici,deno,bun}
	wsjs    string
	runs    int
	quick   bool
	only    map[string]bool // runtimes to run; empty: all found
	scen    map[string]bool // scenarios to run; empty: all
	timeout time.Duration
	raw     string // file for the raw results; empty: none
}

func driverMain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wsbench", flag.ContinueOnError)
	var cfg config
	var only, scen string
	fs.StringVar(&cfg.dir, "dir", "scripts/wsbench", "directory holding bench.js and the Node preload files")
	fs.StringVar(&cfg.cache, "cache", filepath.Join(os.Getenv("HOME"), ".cache", "wsjs-bench"), "npm cache directory with node_modules")
	fs.StringVar(&cfg.wsjs, "wsjs", "bin/wsjs", "wsjs binary")
	fs.IntVar(&cfg.runs, "runs", 3, "runs of each scenario (the median is shown)")
	fs.BoolVar(&cfg.quick, "quick", false, "a short smoke run: one run, small scenarios")
	fs.StringVar(&only, "only", "", "comma-separated runtimes to run (wsjs, node+ws, node+undici, deno, bun, go)")
	fs.StringVar(&scen, "scenarios", "", "comma-separated scenarios to run (pingpong, stream, echo1m, fanout, idle, startup)")
	fs.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "limit for one run of one runtime")
	fs.StringVar(&cfg.raw, "raw", "", "file to write every run's figures to, as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if abs, err := filepath.Abs(cfg.dir); err == nil {
		cfg.dir = abs // Node takes a relative -r argument for a package name
	}
	cfg.only = set(only)
	cfg.scen = set(scen)
	if cfg.quick && cfg.runs == 3 {
		cfg.runs = 1
	}
	if cfg.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	raiseFileLimit(stderr)

	srv, err := newServer("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer srv.close()

	runners := findRunners(&cfg, stderr)
	res := newResults()
	for run := 1; run <= cfg.runs; run++ {
		for _, sc := range scenarios {
			if len(cfg.scen) > 0 && !cfg.scen[sc.name] {
				continue
			}
			for _, r := range runners {
				var v float64
				var err error
				if sc.name == "startup" {
					if r.startup == nil {
						continue
					}
					v, err = startupTime(r, cfg.quick)
				} else {
					v, err = runBench(&cfg, srv, r, sc)
				}
				if err != nil {
					fmt.Fprintf(stderr, "run %d %s %s: %v\n", run, sc.name, r.name, err)
					res.fail(sc.name, r.name)
					continue
				}
				fmt.Fprintf(stderr, "run %d %-8s %-12s %12.1f %s\n", run, sc.name, r.name, v, sc.unit)
				res.add(sc.name, r.name, v)
			}
		}
	}
	names := make([]string, len(runners))
	for i, r := range runners {
		names[i] = r.name
	}
	printTable(stdout, res, names, cfg.runs)
	if cfg.raw != "" {
		if err := res.save(cfg.raw); err != nil {
			fmt.Fprintln(stderr, "raw results:", err)
		}
	}
	return nil
}

func set(list string) map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			m[s] = true
		}
	}
	return m
}

// findRunners lists the runtimes that are there; the missing ones are named on stderr.
func findRunners(cfg *config, stderr io.Writer) []runner {
	js := filepath.Join(cfg.dir, "bench.js")
	mods := filepath.Join(cfg.cache, "node_modules")
	self, _ := os.Executable()
	var all []runner
	all = append(all, runner{name: "wsjs", bench: []string{cfg.wsjs, "run", js}, startup: []string{cfg.wsjs, "eval", ""}})
	if node, err := exec.LookPath("node"); err == nil {
		env := []string{"NODE_PATH=" + mods}
		if exists(filepath.Join(mods, "ws")) {
			all = append(all, runner{name: "node+ws", bench: []string{node, "-r", filepath.Join(cfg.dir, "node-ws.cjs"), js}, startup: []string{node, "-e", ""}, env: env})
		} else {
			fmt.Fprintln(stderr, "skipping node+ws: no ws package in", mods)
		}
		if exists(filepath.Join(mods, "undici")) {
			all = append(all, runner{name: "node+undici", bench: []string{node, "-r", filepath.Join(cfg.dir, "node-undici.cjs"), js}, startup: []string{node, "-e", ""}, env: env})
		} else {
			fmt.Fprintln(stderr, "skipping node+undici: no undici package in", mods)
		}
	} else {
		fmt.Fprintln(stderr, "skipping node: not installed")
	}
	if deno := nativeBinary(mods, "deno/deno", "@deno/*/deno"); deno != "" {
		all = append(all, runner{name: "deno", bench: []string{deno, "run", "--allow-net", "--no-prompt", "--no-config", js}, startup: []string{deno, "eval", ""}, env: []string{"DENO_NO_UPDATE_CHECK=1", "NO_COLOR=1"}})
	} else {
		fmt.Fprintln(stderr, "skipping deno: not in", mods)
	}
	if bun := nativeBinary(mods, "bun/bin/bun.exe", "@oven/bun-*/bin/bun"); bun != "" {
		all = append(all, runner{name: "bun", bench: []string{bun, "run", js}, startup: []string{bun, "-e", " "}}) // bun -e '' prints its usage
	} else {
		fmt.Fprintln(stderr, "skipping bun: not in", mods)
	}
	all = append(all, runner{name: "go", bench: []string{self, "client"}})
	if len(cfg.only) == 0 {
		return all
	}
	var some []runner
	for _, r := range all {
		if cfg.only[r.name] {
			some = append(some, r)
		}
	}
	return some
}

// nativeBinary returns the first of the glob patterns under mods that names an
// executable of over 1 MB: the runtime itself, not the JavaScript shim npm links when
// the package's install script did not run.
func nativeBinary(mods string, patterns ...string) string {
	for _, pat := range patterns {
		matches, _ := filepath.Glob(filepath.Join(mods, pat))
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 && st.Size() > 1<<20 {
				return m
			}
		}
	}
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// runBench runs one scenario once in a new process of r and returns its figure.
func runBench(cfg *config, srv *server, r runner, sc scenario) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	params := sc.full
	if cfg.quick {
		params = sc.quick
	}
	args := append(append(append([]string{}, r.bench[1:]...), srv.url(), sc.name), params...)
	cmd := exec.CommandContext(ctx, r.bench[0], args...)
	cmd.Env = append(os.Environ(), r.env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	srv.setPID(cmd.Process.Pid)
	err := cmd.Wait()
	srv.setPID(0)
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, tail(errb.String()+out.String(), 400))
	}
	return parseResult(out.Bytes(), sc.name)
}

// parseResult finds the result line of scenario in a client's output.
func parseResult(out []byte, name string) (float64, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var r result
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Scenario == name {
			return r.Value, nil
		}
	}
	return 0, fmt.Errorf("no result for %s in the output: %s", name, tail(string(out), 400))
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}

// startupTime returns the median wall time, in ms, of running r's empty script, after
// one run that warms the file cache.
func startupTime(r runner, quick bool) (float64, error) {
	n := 11
	if quick {
		n = 5
	}
	times := make([]float64, 0, n)
	for i := 0; i <= n; i++ {
		cmd := exec.Command(r.startup[0], r.startup[1:]...)
		cmd.Env = append(os.Environ(), r.env...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("%v: %s", err, tail(errb.String(), 400))
		}
		if i > 0 {
			times = append(times, float64(time.Since(t0))/float64(time.Millisecond))
		}
	}
	return median(times), nil
}
