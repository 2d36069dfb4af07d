package main

import (
	"crypto/tls"
	"io"
	"net/http/cookiejar"
	"net/url"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/runtime"
)

// runtimeOptions returns the options of the runtime a test runs in: the test
// URL is its base URL, console output and uncaught errors go to the test's
// log, and an uncaught error does not stop it, as in a browser (testharness.js
// turns it into a harness error). Connections (WebSocket, fetch, XMLHttpRequest,
// worker scripts) reach the WPT host names through e.dial (no /etc/hosts entries
// needed), trust e.roots for TLS, and keep cookies in a jar of the test's own, as a
// browser profile does.
func runtimeOptions(e *env, u *url.URL, out io.Writer) runtime.Options {
	jar, _ := cookiejar.New(nil)
	return runtime.Options{
		BaseURL:         u.String(),
		Stdout:          out,
		Stderr:          out,
		ContinueOnError: true,
		DefineWindow:    true,
		// A page stays open while a test waits for an AbortSignal.timeout().
		TimeoutSignalsKeepAlive: true,
		// Tests run side by side share no BroadcastChannel.
		BroadcastPartition: u.String(),
		Network: network.Policy{
			Dial:      e.dial,
			TLSConfig: &tls.Config{RootCAs: e.roots},
			Jar:       jar,
		},
	}
}
