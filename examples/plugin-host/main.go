package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/wsjs/wsjs/runtime/subprocess"
)

func main() {
	// In a child process serving a plugin out of process (-isolate), Main
	// serves it and exits; here it returns at once.
	subprocess.Main()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "plugin-host:", err)
		os.Exit(1)
	}
}

// run serves the plugins as the flags in args say until ctx is done.
func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("plugin-host", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("plugins", "examples/plugin-host/plugins", "plugins directory")
	modules := fs.String("modules", "examples/plugin-host/packages", "npm packages directory, besides node_modules")
	timeout := fs.Duration("timeout", DefaultTimeout, "deadline of each request")
	allow := fs.String("allow", "127.0.0.1,localhost", "comma-separated hosts plugins may connect to")
	isolate := fs.String("isolate", "", "comma-separated plugins to serve out of process")
	childMemory := fs.Int64("child-memory", 256<<20, "memory limit of each child process, in bytes")
	childCPU := fs.Duration("child-cpu", time.Minute, "CPU time limit of each child process")
	poll := fs.Duration("poll", time.Second, "how often to look for changed plugin files (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	h, err := New(ctx, Config{
		Dir:         *dir,
		ModulePaths: []string{*modules},
		Timeout:     *timeout,
		AllowHosts:  strings.Split(*allow, ","),
		Isolate:     strings.Split(*isolate, ","),
		ChildMemory: *childMemory,
		ChildCPU:    *childCPU,
	})
	if err != nil {
		return err
	}
	defer h.Close()
	if *poll > 0 {
		go h.Watch(ctx, *poll)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Printf("serving plugins %v on http://%s/plugins/{name}/", h.Plugins(), ln.Addr())
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		// Requests in progress end within their deadline; then the
		// plugins' runtimes close (deferred h.Close).
		shutdown, cancel := context.WithTimeout(context.Background(), *timeout)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-stopped
	return nil
}
