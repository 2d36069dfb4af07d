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
// browser profile does. The page is cross-origin isolated if its response
// says so (isolated), and its shared and service workers if theirs do, as in
// a browser; TestUtils is there for the tests that collect garbage; and
// workers are bounded as a browser bounds them, not as a host that embeds
// scripts does.
func runtimeOptions(e *env, u *url.URL, out io.Writer, isolated bool) runtime.Options {
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
		BroadcastPartition:   u.String(),
		CrossOriginIsolation: runtime.Isolation{Off: !isolated, ByResponse: true},
		TestUtils:            true,
		Limits:               runtime.Limits{Workers: browserWorkers},
		Network: network.Policy{
			Dial:      e.dial,
			TLSConfig: &tls.Config{RootCAs: e.roots},
			Jar:       jar,
		},
	}
}

// browserWorkers bounds the workers a page runs at once, as Firefox's
// dom.workers.maxPerDomain (512) does; Chromium sets no bound. A page such
// as hr-time's clamped-time-origin tests starts 99 workers that never end,
// beyond Limits.Workers' default of 64.
const browserWorkers = 512
