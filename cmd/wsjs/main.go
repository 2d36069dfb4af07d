package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/wsjs/wsjs/bindings/websocket"
	wsjs "github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

const usage = `wsjs runs JavaScript and TypeScript with standard web APIs.

Usage:
  wsjs run [flags] FILE [ARG...]   run the script in FILE; "-" reads it from standard input
  wsjs eval [flags] CODE [ARG...]  run CODE
  wsjs version                     print version information
  wsjs help                        print this help

FILE may be JavaScript or TypeScript (.js .mjs .cjs .jsx .ts .mts .cts .tsx). ES module
imports of relative files and of npm packages found in node_modules are loaded and linked
before it runs, import() loads more as it runs; a .js file without imports or exports runs
as a classic script (a return outside any function is a syntax error), unless it uses
module, exports or require, or is named .cjs: then it runs as CommonJS.
The script runs until nothing is left to do: no queued tasks, no timers and nothing
waiting for I/O, such as an open WebSocket.

The ARGs after FILE or CODE are given to the script as wsjs.args, a frozen array of
strings.

Flags (for run and eval, before FILE or CODE):
  --timeout DURATION  interrupt the script after DURATION, such as 500ms or 1m, and
                      exit with status 1 (default: no limit)
  --base-url URL      API base URL: relative URLs given to web APIs resolve against
                      it and its origin is the origin the script acts for (default:
                      the file: URL of FILE, or of the working directory for eval and
                      standard input)
  --ext EXT           how to parse eval CODE or a script read from standard input:
                      js, mjs, cjs, jsx, ts, mts, cts or tsx (default: js)
  --cpuprofile FILE   write a CPU profile of the whole run to FILE, for go tool pprof

Output of console.log, info and debug goes to standard output; console.warn, error,
trace and reports of uncaught errors go to standard error.

Exit status: 0 when the script ran to completion; 1 when it could not be loaded, threw
an exception or left a promise rejection unhandled (reported with the original file,
line and column), or timed out; 2 for a usage error; 130 when interrupted (Ctrl-C).
`

func main() {
	// A wsjs binary can be the child of a host's runtime/subprocess.Start
	// (Config.Command): then it serves that host and never returns.
	subprocess.Main()
	os.Exit(wsjsMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// wsjsMain runs the command line args and returns the exit status.
func wsjsMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run", "eval":
		return runCmd(cmd, rest, stdin, stdout, stderr)
	case "version", "--version", "-version":
		if len(rest) > 0 {
			return usageError(stderr, "version takes no arguments")
		}
		fmt.Fprintln(stdout, versionString())
		return 0
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		return usageError(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "wsjs: %s\nRun 'wsjs help' for usage.\n", msg)
	return 2
}

var extensions = map[string]bool{"js": true, "mjs": true, "cjs": true, "jsx": true, "ts": true, "mts": true, "cts": true, "tsx": true}

func runCmd(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	restoreGC := relaxStartupGC()
	defer restoreGC()
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	timeout := fs.Duration("timeout", 0, "")
	baseURL := fs.String("base-url", "", "")
	ext := fs.String("ext", "js", "")
	cpuProfile := fs.String("cpuprofile", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		return usageError(stderr, err.Error())
	}
	if fs.NArg() == 0 {
		if cmd == "run" {
			return usageError(stderr, "run needs a FILE (or - for standard input)")
		}
		return usageError(stderr, "eval needs CODE")
	}
	if *timeout < 0 {
		return usageError(stderr, "--timeout must not be negative")
	}
	*ext = strings.TrimPrefix(*ext, ".")
	if !extensions[*ext] {
		return usageError(stderr, fmt.Sprintf("--ext %q is not one of js, mjs, cjs, jsx, ts, mts, cts, tsx", *ext))
	}
	target, scriptArgs := fs.Arg(0), fs.Args()[1:]
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return usageError(stderr, "--cpuprofile: "+err.Error())
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usageError(stderr, "--cpuprofile: "+err.Error())
		}
		defer pprof.StopCPUProfile()
	}

	// Interrupts are caught from the time the script runs; subscribing
	// overlaps creating the runtime.
	interrupts := watchInterrupts(context.Background())
	defer interrupts.stop()
	rt, err := wsjs.New(wsjs.Options{
		BaseURL: *baseURL,
		Stdout:  stdout,
		Stderr:  stderr,
		Args:    append([]string{}, scriptArgs...),
		// The command line runs the user's own scripts, as node does: no bound on
		// the number of sockets (embedders get websocket.DefaultMaxSockets).
		WebSocket: websocket.Options{MaxSockets: -1},
	})
	if err != nil {
		if *baseURL != "" {
			return usageError(stderr, err.Error())
		}
		fmt.Fprintf(stderr, "wsjs: %v\n", err)
		return 1
	}
	defer rt.Close()
	restoreGC()

	ctx := interrupts.context()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}

	switch {
	case cmd == "eval":
		err = rt.RunScript(ctx, "[eval]."+*ext, target)
	case target == "-":
		src, rerr := io.ReadAll(stdin)
		if rerr != nil {
			fmt.Fprintf(stderr, "wsjs: reading standard input: %v\n", rerr)
			return 1
		}
		err = rt.RunScript(ctx, "[stdin]."+*ext, string(src))
	default:
		err = rt.RunFile(ctx, target)
	}
	return exitStatus(ctx, err, *timeout, stderr)
}

func exitStatus(ctx context.Context, err error, timeout time.Duration, stderr io.Writer) int {
	var uncaught *wsjs.Error
	switch {
	case err == nil:
		return 0
	case errors.As(err, &uncaught):
		// Already reported by the runtime.
		return 1
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "wsjs: script timed out after %v\n", timeout)
		return 1
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintln(stderr, "wsjs: interrupted")
		return 130
	default:
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
}

func versionString() string {
	v, deps := "(devel)", map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			deps[d.Path] = d.Version
		}
		return fmt.Sprintf("wsjs %s (goja %s, esbuild %s, %s)", v, deps["github.com/dop251/goja"], deps["github.com/evanw/esbuild"], bi.GoVersion)
	}
	return "wsjs " + v
}
