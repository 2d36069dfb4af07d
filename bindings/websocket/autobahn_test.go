package websocket

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// The Autobahn-style suite: Autobahn|Testsuite's client cases of categories 1 to 7,
// 9, 10, 12 and 13, played by a fuzzing server on loopback (autobahn_fuzzer_test.go)
// against a runtime running an echo client, the way Autobahn runs a client: the
// script connects to /runCase?case=N for each case in turn and sends back every
// message it receives. Each case is judged as Autobahn judges it: the events the
// fuzzer saw against the expected ones (OK, or NON-STRICT where Autobahn allows a
// second outcome), and the closing (who closed, whether cleanly, with which code).
// `go test` plays every case with categories 9, 12 and 13 scaled down; `make soak`
// plays them at full size (TestSoakAutobahn).

// fastScale keeps `go test` short: category 9 at a sixteenth of Autobahn's sizes
// (4 KiB to 1 MiB messages), 100 round trips for 9.7 and 9.8, and of 12 and 13 the
// cases of messages up to 8 KiB (7 of each 18, every data set and parameter set),
// with 3 messages each.
var fastScale = abScale{sizeDiv: 16, rttCount: 100, zipCount: 3, zipMaxSize: 8 << 10, quietWait: 100 * time.Millisecond}

// abEchoClient is the client side: Autobahn's echo client.
const abEchoClient = `
	let next = 0;
	const runCase = () => {
		if (next === TOTAL) return;
		const ws = new WebSocket(BASE + "/runCase?case=" + next++ + "&agent=wsjs");
		ws.binaryType = "arraybuffer";
		ws.onmessage = (e) => ws.send(e.data);
		ws.onclose = runCase;
	};
	runCase();
`

// abResult is the outcome of one case.
type abResult struct {
	behavior, closeBehavior, result string
	elapsed                         time.Duration
	played                          bool
}

func (r abResult) verdict(c abCase) string {
	switch {
	case !r.played:
		return "NOT PLAYED"
	case c.informational != "":
		return "INFORMATIONAL"
	case r.closeBehavior != "OK":
		return r.closeBehavior
	}
	return r.behavior
}

func TestAutobahn(t *testing.T) {
	if testing.Short() {
		t.Skip("the Autobahn-style suite takes a while")
	}
	runAutobahn(t, fastScale, 30*time.Second)
}

func runAutobahn(t *testing.T, sc abScale, caseLimit time.Duration) {
	cases := autobahnCases(sc)
	results := make([]abResult, len(cases))
	url, stop := startFuzzer(t, cases, results, caseLimit)
	e := newEnv(t, Options{})
	src := strings.NewReplacer("TOTAL", strconv.Itoa(len(cases)), "BASE", strconv.Quote(url)).Replace(abEchoClient)
	e.loop.Queue(func() { _, _ = e.loop.RunProgram(goja.MustCompile("autobahn.js", src, false)) })
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(cases))*caseLimit)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	e.mu.Lock()
	uncaught := e.errors
	e.mu.Unlock()
	if len(uncaught) > 0 {
		t.Fatalf("uncaught: %q", uncaught)
	}
	stop() // every case has written its result
	t.Logf("%d cases in %v", len(cases), time.Since(start).Round(time.Millisecond))
	reportAutobahn(t, cases, results)
}

// reportAutobahn logs the counts and time per category and fails on every case
// whose verdict is not OK (INFORMATIONAL ones are logged with what happened).
func reportAutobahn(t *testing.T, cases []abCase, results []abResult) {
	type tally struct {
		counts  map[string]int
		elapsed time.Duration
	}
	var order []string
	byCat := map[string]*tally{}
	for i, c := range cases {
		cat, _, _ := strings.Cut(c.id, ".")
		if byCat[cat] == nil {
			byCat[cat] = &tally{counts: map[string]int{}}
			order = append(order, cat)
		}
		r := results[i]
		v := r.verdict(c)
		byCat[cat].counts[v]++
		byCat[cat].elapsed += r.elapsed
		switch {
		case v == "INFORMATIONAL":
			t.Logf("case %s (%s): INFORMATIONAL (%s): behaviour %s, close %s", c.id, c.desc, c.informational, r.behavior, r.closeBehavior)
		case v != "OK":
			t.Errorf("case %s (%s): %s: %s (behaviour %s, close %s)", c.id, c.desc, v, r.result, r.behavior, r.closeBehavior)
		}
	}
	for _, cat := range order {
		tl := byCat[cat]
		var parts []string
		for _, v := range slices.Sorted(func(yield func(string) bool) {
			for k := range tl.counts {
				if !yield(k) {
					return
				}
			}
		}) {
			parts = append(parts, fmt.Sprintf("%d %s", tl.counts[v], v))
		}
		t.Logf("category %2s: %s in %v", cat, strings.Join(parts, ", "), tl.elapsed.Round(time.Millisecond))
	}
}

// startFuzzer serves /runCase?case=N on loopback, playing cases[N] and writing
// its outcome to results[N], and returns its ws: URL and a function that stops it
// and waits for the cases in play. Cleanup stops it too.
func startFuzzer(t *testing.T, cases []abCase, results []abResult, limit time.Duration) (string, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				playCase(conn, cases, results, limit)
			}()
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			ln.Close()
			wg.Wait()
		})
	}
	t.Cleanup(stop)
	return "ws://" + ln.Addr().String(), stop
}

func playCase(conn net.Conn, cases []abCase, results []abResult, limit time.Duration) {
	rc := &rawConn{Conn: conn, br: bufio.NewReader(conn)}
	var err error
	if rc.req, err = http.ReadRequest(rc.br); err != nil {
		return
	}
	i, err := strconv.Atoi(rc.req.URL.Query().Get("case"))
	if err != nil || i < 0 || i >= len(cases) {
		rc.respond("HTTP/1.1 404 Not Found", []string{"Content-Length: 0"})
		return
	}
	c := cases[i]
	start := time.Now()
	var z *pmd
	var extra []string
	if c.ext != "" && strings.Contains(rc.req.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
		z = newPMD(c.ext)
		extra = append(extra, "Sec-WebSocket-Extensions: "+c.ext)
	}
	rc.upgrade(extra...)
	f := newFuzzer(rc, z, limit)
	c.play(f)
	f.end()
	r := abResult{played: true, elapsed: time.Since(start)}
	r.behavior, r.closeBehavior, r.result = f.judge()
	results[i] = r
}

// newPMD sets up the fuzzer's permessage-deflate from its response parameters.
func newPMD(ext string) *pmd {
	z := &pmd{serverWindow: 15}
	for _, p := range strings.Split(ext, ";")[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch k {
		case "server_no_context_takeover":
			z.serverNoContext = true
		case "client_no_context_takeover":
			z.clientNoContext = true
		case "server_max_window_bits":
			z.serverWindow, _ = strconv.Atoi(v)
		}
	}
	return z
}

// judge is Autobahn's onConnectionLost: the behaviour from the events (unless the
// case judged them itself), the closing behaviour from how the connection ended.
func (f *fuzzer) judge() (behavior, closeBehavior, result string) {
	behavior, result = f.behavior, f.result
	if behavior == "" {
		switch {
		case slices.Equal(f.received, f.ok):
			behavior = "OK"
		case f.nonStrict != nil && slices.Equal(f.received, f.nonStrict):
			behavior = "NON-STRICT"
		default:
			behavior = "FAILED"
			result = fmt.Sprintf("events %q, want %q %s", f.received, f.ok, result)
		}
	}
	switch {
	case f.close.byMe != f.closedByMe:
		closeBehavior = "FAILED"
		result += "; the connection was closed by the wrong endpoint"
	case f.close.clean && !f.wasClean:
		closeBehavior = "UNCLEAN"
		result += "; the closing handshake did not complete"
	case f.remoteCode != 0 && !slices.Contains(f.close.codes, f.remoteCode):
		closeBehavior = "WRONG CODE"
		result += fmt.Sprintf("; close code %d, want one of %v", f.remoteCode, f.close.codes)
		behavior = "FAILED"
	default:
		closeBehavior = "OK"
	}
	if f.close.wrongEndpointFatal && f.close.byMe != f.closedByMe {
		behavior = "FAILED"
	}
	return behavior, closeBehavior, result
}
