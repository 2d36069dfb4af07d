package main

import (
	"io"
	"net/url"

	"github.com/wsjs/wsjs/runtime"
)

// runtimeOptions returns the options of the runtime a test runs in: the test
// URL is its base URL, console output and uncaught errors go to the test's
// log, and an uncaught error does not stop it, as in a browser (testharness.js
// turns it into a harness error).
//
// The runtime must also reach the WPT host names through e.dial and trust
// e.roots for wss: and https:, and expose the base URL as location; it has
// no options for these yet, so WebSocket connections use the system resolver
// and roots (see README.md).
func runtimeOptions(e *env, u *url.URL, out io.Writer) runtime.Options {
	return runtime.Options{
		BaseURL:         u.String(),
		Stdout:          out,
		Stderr:          out,
		ContinueOnError: true,
	}
}
