//go:build soak

package websocket

// Load and soak tests, run by `make soak` (go test -tags soak): 10,000 concurrent
// connections in one runtime, 100,000 connect/close cycles, and 1,000,000 messages
// through one connection, each followed by checks that heap memory and goroutines are
// back to where they were. The echo server runs in a child process (this test binary
// run again), so that the 10,000 server-side descriptors do not count against this
// process's limit, and so that its goroutines and memory are not counted here.

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

const soakServerEnv = "WSJS_SOAK_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(soakServerEnv) == "1" {
		soakServer()
		return
	}
	code := m.Run()
	stopSoakServer()
	os.Exit(code)
}

// raiseFileLimit raises the soft limit on open files to the hard limit and returns it.
func raiseFileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, err
		}
	}
	return rl.Cur, nil
}

// soakServer is the child process: WebSocket echo servers on soakPorts loopback
// ports, their addresses printed on one line, until stdin ends.
const soakPorts = 8

func soakServer() {
	if _, err := raiseFileLimit(); err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	var addrs []string
	for range soakPorts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(1)
		}
		addrs = append(addrs, ln.Addr().String())
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					continue
				}
				go soakEcho(conn)
			}
		}()
	}
	fmt.Println("ADDRS " + strings.Join(addrs, " "))
	// The parent holds the other end of stdin; when it exits, so does this process.
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	os.Exit(0)
}

// soakEcho answers messages with the same messages and a close frame with the
// same code, then closes the connection first, as RFC 6455 section 7.1.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1) has servers do.
func soakEcho(conn net.Conn) {
	defer conn.Close()
	if _, err := (ws.Upgrader{}).Upgrade(conn); err != nil {
		return
	}
	for {
		p, op, err := wsutil.ReadClientData(conn)
		if err != nil {
			return // a close frame was answered by ReadClientData, or the client is gone
		}
		if err := wsutil.WriteServerMessage(conn, op, p); err != nil {
			return
		}
	}
}

var soak struct {
	once  sync.Once
	cmd   *exec.Cmd
	stdin *os.File
	urls  []string
	err   error
}

// soakURLs starts the server process once and returns its WebSocket URLs.
func soakURLs(t *testing.T) []string {
	t.Helper()
	soak.once.Do(func() {
		inR, inW, err := os.Pipe()
		if err != nil {
			soak.err = err
			return
		}
		outR, outW, err := os.Pipe()
		if err != nil {
			soak.err = err
			return
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), soakServerEnv+"=1")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, os.Stderr
		if soak.err = cmd.Start(); soak.err != nil {
			return
		}
		inR.Close()
		outW.Close()
		soak.cmd, soak.stdin = cmd, inW
		line, err := bufio.NewReader(outR).ReadString('\n')
		outR.Close()
		if err != nil || !strings.HasPrefix(line, "ADDRS ") {
			soak.err = fmt.Errorf("server process said %q (%v)", line, err)
			return
		}
		for _, a := range strings.Fields(strings.TrimPrefix(line, "ADDRS ")) {
			soak.urls = append(soak.urls, "ws://"+a+"/")
		}
	})
	if soak.err != nil {
		t.Fatal(soak.err)
	}
	return soak.urls
}

func stopSoakServer() {
	if soak.cmd != nil {
		soak.stdin.Close()
		soak.cmd.Wait()
	}
}

// usage is the heap in use after garbage collection and the number of goroutines.
type usage struct {
	heap       uint64
	goroutines int
}

func (u usage) String() string {
	return fmt.Sprintf("heap %.1f MiB, %d goroutines", float64(u.heap)/(1<<20), u.goroutines)
}

func measure() usage {
	var ms runtime.MemStats
	// Collect until the heap stops shrinking: an object may become garbage only
	// after a cleanup that runs between collections (the slot table's sweep) has
	// dropped what referred to it.
	prev := uint64(math.MaxUint64)
	for range 20 {
		runtime.GC()
		for range 10 {
			runtime.Gosched()
		}
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc >= prev-prev/200 {
			break
		}
		prev = ms.HeapAlloc
	}
	return usage{heap: ms.HeapAlloc, goroutines: runtime.NumGoroutine()}
}

// settle measures until goroutines are back to base (the transport's goroutines end
// just after they report, on their own schedule), for at most five seconds.
func settle(base usage) usage {
	deadline := time.Now().Add(5 * time.Second)
	u := measure()
	for u.goroutines > base.goroutines && time.Now().Before(deadline) {
		runtime.Gosched()
		u = measure()
	}
	return u
}

// soakRun runs src in e until its event loop is idle, for at most limit, and fails the
// test on an uncaught error.
func soakRun(t *testing.T, e *env, src string, limit time.Duration) []string {
	t.Helper()
	e.loop.Queue(func() {
		_, _ = e.loop.RunProgram(goja.MustCompile("soak.js", src, false))
	})
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	if err := e.loop.Run(ctx); err != nil {
		t.Fatalf("Run: %v after %v (lines %q)", err, time.Since(start), e.got())
	}
	t.Logf("ran in %v", time.Since(start).Round(time.Millisecond))
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.errors) > 0 {
		t.Fatalf("uncaught: %q", e.errors)
	}
	return append([]string(nil), e.lines...)
}

// checkBack asserts that usage is back to base: the same number of goroutines, and
// at most slack more heap.
func checkBack(t *testing.T, base, after usage, slack uint64) {
	t.Helper()
	if after.goroutines > base.goroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left over:\n%s", after.goroutines-base.goroutines, buf[:runtime.Stack(buf, true)])
	}
	if after.heap > base.heap+slack {
		t.Errorf("heap grew from %s to %s, more than %d KiB", base, after, slack>>10)
	}
}

// soakTwice runs src (a block of script logging lines) twice in one runtime and
// returns the usage before anything ran, after the first round (the baseline: Go
// keeps what the first round's peak needed, such as the descriptors of exited
// goroutines and the buckets of grown maps, for reuse) and after the second round,
// which must be back to the baseline. Both rounds must log want.
func soakTwice(t *testing.T, e *env, src string, limit time.Duration, want ...string) (start, base, after usage) {
	t.Helper()
	start = measure()
	for round := range 2 {
		e.mu.Lock()
		e.lines = nil
		e.mu.Unlock()
		lines := soakRun(t, e, "{"+src+"}", limit)
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("round %d: script saw %q, want %q", round+1, lines, want)
		}
		if round == 0 {
			base = settle(start)
		}
	}
	after = settle(start)
	checkBack(t, base, after, 1<<20)
	return start, base, after
}

func jsList(urls []string) string {
	return `["` + strings.Join(urls, `", "`) + `"]`
}

func TestSoakConcurrentConnections(t *testing.T) {
	const n = 10000
	limit, err := raiseFileLimit()
	if err != nil {
		t.Fatal(err)
	}
	if limit < n+1000 {
		t.Fatalf("the open-file limit is %d, fewer than the %d this test needs", limit, n+1000)
	}
	urls := soakURLs(t)
	e := newEnv(t, Options{MaxSockets: n})
	var peak usage
	_ = e.vm.Set("measurePeak", func() { peak = measure() })
	start, base, after := soakTwice(t, e, `
		const urls = `+jsList(urls)+`, n = `+fmt.Sprint(n)+`;
		let sockets = [], open = 0, echoed = 0, clean = 0, failed = 0;
		for (let i = 0; i < n; i++) {
			const ws = new WebSocket(urls[i % urls.length]);
			sockets.push(ws);
			ws.onopen = () => {
				if (++open < n) return;
				// All open at once: measure, then one round trip each.
				measurePeak();
				for (const s of sockets) s.send("are you there");
			};
			ws.onmessage = (ev) => {
				if (ev.data === "are you there" && ++echoed === n) {
					log("open " + open + " echoed " + echoed);
					for (const s of sockets) s.close(1000);
				}
			};
			ws.onerror = () => failed++;
			ws.onclose = (ev) => {
				if (ev.wasClean && ev.code === 1000) clean++;
				if (clean + failed === n) {
					log("clean " + clean + " failed " + failed);
					sockets = null;
				}
			};
		}
	`, 5*time.Minute, fmt.Sprintf("open %d echoed %d", n, n), fmt.Sprintf("clean %d failed 0", n))
	t.Logf("%d concurrent connections: at start %s; all open %s (%.1f KiB and %.2f goroutines per connection); after round 1 %s; after round 2 %s",
		n, start, peak, float64(peak.heap-base.heap)/n/1024, float64(peak.goroutines-base.goroutines)/n, base, after)
}

func TestSoakConnectCloseCycles(t *testing.T) {
	const n, inFlight = 100000, 32
	urls := soakURLs(t)
	e := newEnv(t, Options{})
	start, base, after := soakTwice(t, e, `
		const urls = `+jsList(urls)+`, n = `+fmt.Sprint(n)+`;
		let started = 0, clean = 0, other = 0;
		const next = () => {
			if (started === n) return;
			const ws = new WebSocket(urls[started++ % urls.length]);
			ws.onopen = () => ws.close(1000, "cycle");
			ws.onclose = (ev) => {
				if (ev.wasClean && ev.code === 1000) clean++; else other++;
				if (clean + other === n) log("clean " + clean + " other " + other);
				next();
			};
		};
		for (let i = 0; i < `+fmt.Sprint(inFlight)+`; i++) next();
	`, 10*time.Minute, fmt.Sprintf("clean %d other 0", n))
	t.Logf("%d connect/close cycles, twice: at start %s; after round 1 %s; after round 2 %s", n, start, base, after)
}

func TestSoakMessagesThroughOneConnection(t *testing.T) {
	const n, window = 1000000, 1000
	urls := soakURLs(t)
	e := newEnv(t, Options{})
	var during usage
	_ = e.vm.Set("measureDuring", func() { during = measure() })
	start, base, after := soakTwice(t, e, `
		const n = `+fmt.Sprint(n)+`;
		const ws = new WebSocket("`+urls[0]+`");
		let sent = 0, received = 0, disorder = 0;
		const send = () => ws.send("message " + sent++);
		ws.onopen = () => { for (let i = 0; i < `+fmt.Sprint(window)+`; i++) send(); };
		ws.onmessage = (ev) => {
			if (ev.data !== "message " + received) disorder++;
			received++;
			if (received === n / 2) measureDuring();
			if (sent < n) send();
			else if (received === n) ws.close(1000);
		};
		ws.onclose = (ev) => log("received " + received + " out of order " + disorder + " close " + ev.code + " " + ev.wasClean);
	`, 10*time.Minute, fmt.Sprintf("received %d out of order 0 close 1000 true", n))
	t.Logf("%d messages through one connection, twice: at start %s; half way through round 2 %s; after round 1 %s; after round 2 %s", n, start, during, base, after)
}
