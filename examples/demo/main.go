package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/wsjs/wsjs/runtime"
)

//go:embed demo.ts
var demoScript string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run starts the echo server, runs the script (demo.ts, or the file args names) against
// it and prints what the server saw.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: demo [script.ts]")
	}
	srv, err := listenEcho("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer srv.Close()
	base := "http://" + srv.Addr() + "/"
	fmt.Fprintf(stdout, "echo server listening on %s\n", base)

	rt, err := runtime.New(runtime.Options{BaseURL: base, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return err
	}
	defer rt.Close()
	if len(args) == 1 {
		err = rt.RunFile(ctx, args[0])
	} else {
		err = rt.RunScript(ctx, "demo.ts", demoScript)
	}
	if err != nil {
		return err
	}

	// Wait for the server to finish with every connection before printing its log.
	srv.Close()
	for _, line := range srv.Log() {
		fmt.Fprintf(stdout, "server: %s\n", line)
	}
	return nil
}
