package runtime

import (
	"time"

	"github.com/wsjs/wsjs/bindings/network"
)

// Metrics are counts of what a runtime holds and has done, for a host to
// watch the scripts it runs (see Runtime.Metrics).
type Metrics struct {
	// Timers is the number of timers (setTimeout, setInterval) that can
	// still fire: pending ones, and repeating ones until they are cleared.
	// Limits.Timers bounds it.
	Timers int
	// Tasks is the number of tasks queued on the event loop and not yet
	// started: callbacks of timers that are due, events of sockets and
	// ports, Call and Do tasks.
	Tasks int
	// PendingIO is the number of operations that keep the event loop alive
	// while they are pending: sockets that are not closed, fetches and
	// XMLHttpRequests in flight, calls of AsyncFuncs not settled, workers
	// that have work to do, and the like.
	PendingIO int
	// Workers is the number of workers (dedicated, shared and service)
	// running under the runtime, at any depth: the count Limits.Workers
	// bounds.
	Workers int
	// ScriptTime is the time the event loop has spent running tasks, each
	// with its microtasks, since the runtime was made: script, and the web
	// API code it calls (a synchronous XMLHttpRequest's wait included), not
	// the runtime's workers. It grows with every Call, Start, Run and Do
	// task; a Do outside a run is not counted.
	ScriptTime time.Duration

	// Sockets is the number of WebSocket and WebSocketStream connections
	// of the runtime and its workers that are not closed: each counts from
	// the moment its TCP connection is made (before the TLS and opening
	// handshakes) until that connection is closed, which happens before the
	// close event is fired (or the stream's closed promise settles), and
	// when the opening handshake fails.
	Sockets int
	// BytesIn and BytesOut are the bytes read from and written to the
	// network so far by the connections that the runtime and its workers
	// made: those of WebSocket, WebSocketStream, fetch, XMLHttpRequest and
	// the scripts of workers fetched over HTTP. They are the bytes on the
	// wire above TCP: HTTP requests and responses with their headers and
	// framing, WebSocket opening handshakes and frames, TLS handshakes and
	// records, and the exchanges with a proxy. They only grow: a connection
	// counts as long as it carries bytes, kept alive by fetch or not, and a
	// closed runtime keeps reporting them (a connection being torn down when
	// Close is called may still add its last bytes). Every runtime, and
	// every tree of workers under it, counts its own, whether or not
	// runtimes share a network.Policy.
	BytesIn, BytesOut int64
}

// Metrics returns the runtime's metrics at this moment. It may be called from
// any goroutine, at any time, even from script (from a Go function of a
// Module); it takes a lock and reads counters, and never waits for the event
// loop. Once the runtime is closed, only ScriptTime, BytesIn and BytesOut
// are reported.
func (r *Runtime) Metrics() Metrics {
	s := r.loop.Stats()
	nm := r.opts.Network.Meter
	m := Metrics{Timers: s.Timers, Tasks: s.Tasks, PendingIO: s.Holds, ScriptTime: s.Busy,
		Sockets: nm.Sockets(), BytesIn: nm.BytesRead(), BytesOut: nm.BytesWritten()}
	r.mu.Lock()
	closed, serving := r.closed, r.srv.done != nil && r.srv.err == nil && r.running
	r.mu.Unlock()
	if closed {
		return Metrics{ScriptTime: s.Busy, BytesIn: m.BytesIn, BytesOut: m.BytesOut}
	}
	if serving {
		m.PendingIO = max(0, m.PendingIO-1) // the hold that keeps serving
	}
	if r.workers != nil {
		m.Workers = r.workers()
	}
	return m
}

// meterNetwork gives the network policy of a top-level runtime a meter of its
// own, which the runtimes of its workers share, since they copy the policy:
// what Metrics reports of the network.
func meterNetwork(opts *Options) {
	opts.Network.Meter = new(network.Meter)
}
