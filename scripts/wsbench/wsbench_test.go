package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

func startServer(t *testing.T) *server {
	t.Helper()
	s, err := newServer("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	return s
}

func dialT(t *testing.T, s *server, path string) *gconn {
	t.Helper()
	g, err := dialGo(t.Context(), s.url()+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.close)
	// A test that waits for a frame that never comes fails instead of hanging.
	_ = g.c.SetDeadline(time.Now().Add(time.Minute))
	return g
}

func TestServerEcho(t *testing.T) {
	s := startServer(t)
	g := dialT(t, s, "/echo")
	for _, tc := range []struct {
		op   ws.OpCode
		size int
	}{{ws.OpText, 0}, {ws.OpText, 32}, {ws.OpBinary, 125}, {ws.OpBinary, 126}, {ws.OpBinary, 70000}, {ws.OpBinary, 1 << 20}} {
		msg := bytes.Repeat([]byte{'a'}, tc.size)
		for i := range msg {
			msg[i] = byte(i % 251)
		}
		if err := g.send(tc.op, msg); err != nil {
			t.Fatal(err)
		}
		op, p, err := g.recv()
		if err != nil {
			t.Fatal(err)
		}
		if op != tc.op || !bytes.Equal(p, msg) {
			t.Errorf("echo of %d bytes, opcode %v: got %d bytes, opcode %v", tc.size, tc.op, len(p), op)
		}
	}
}

func TestServerStream(t *testing.T) {
	s := startServer(t)
	g := dialT(t, s, "/stream")
	for _, n := range []int{1, framesPerBatch - 1, framesPerBatch, 2*framesPerBatch + 3} {
		if err := g.send(ws.OpText, []byte(strconv.Itoa(n))); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			op, p, err := g.recv()
			if err != nil {
				t.Fatalf("message %d of %d: %v", i, n, err)
			}
			if op != ws.OpText || len(p) != streamSize {
				t.Fatalf("message %d of %d: opcode %v, %d bytes", i, n, op, len(p))
			}
		}
	}
	// Then the next message is the answer to a new request: nothing more was sent.
	if err := g.send(ws.OpText, []byte("1")); err != nil {
		t.Fatal(err)
	}
	if _, p, err := g.recv(); err != nil || len(p) != streamSize {
		t.Fatalf("after the streams: %d bytes, %v", len(p), err)
	}
}

func TestServerStreamRejectsBadCount(t *testing.T) {
	s := startServer(t)
	g := dialT(t, s, "/stream")
	if err := g.send(ws.OpText, []byte("many")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.recv(); err == nil {
		t.Fatal("the server kept the connection after a bad count")
	}
}

func TestServerFanout(t *testing.T) {
	s := startServer(t)
	var members []*gconn
	for range 5 {
		members = append(members, dialT(t, s, "/fanout?g=a"))
	}
	other := dialT(t, s, "/fanout?g=b")
	if err := members[2].send(ws.OpText, []byte("3")); err != nil {
		t.Fatal(err)
	}
	for i, m := range members {
		for j := range 3 {
			if _, p, err := m.recv(); err != nil || len(p) != fanoutSize {
				t.Fatalf("member %d, message %d: %d bytes, %v", i, j, len(p), err)
			}
		}
	}
	// The other group got nothing: its next message answers its own request.
	if err := other.send(ws.OpText, []byte("1")); err != nil {
		t.Fatal(err)
	}
	if _, p, err := other.recv(); err != nil || len(p) != fanoutSize {
		t.Fatalf("other group: %d bytes, %v", len(p), err)
	}
}

func TestServerRSS(t *testing.T) {
	s := startServer(t)
	s.setPID(os.Getpid())
	g := dialT(t, s, "/rss")
	if err := g.send(ws.OpText, []byte("rss")); err != nil {
		t.Fatal(err)
	}
	_, p, err := g.recv()
	if err != nil {
		t.Fatal(err)
	}
	rss, err := strconv.ParseInt(string(p), 10, 64)
	if err != nil || rss < 1<<20 {
		t.Fatalf("rss answer %q: %v", p, err)
	}
}

func TestServerAnswersPingAndClose(t *testing.T) {
	s := startServer(t)
	g, err := dialGo(t.Context(), s.url()+"/echo")
	if err != nil {
		t.Fatal(err)
	}
	defer g.c.Close()
	if err := g.send(ws.OpPing, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	h, err := ws.ReadHeader(g.br)
	if err != nil || h.OpCode != ws.OpPong || h.Length != 2 {
		t.Fatalf("pong: %+v, %v", h, err)
	}
	g.br.Discard(2)
	if err := g.send(ws.OpClose, []byte{0x03, 0xe8}); err != nil {
		t.Fatal(err)
	}
	f, err := ws.ReadFrame(g.br)
	if err != nil || f.Header.OpCode != ws.OpClose || !bytes.Equal(f.Payload, []byte{0x03, 0xe8}) {
		t.Fatalf("close answer: %+v, %v", f, err)
	}
	if _, err := g.br.ReadByte(); err == nil {
		t.Fatal("the server did not close the stream after the closing handshake")
	}
}

// TestGoClientScenarios runs every plain Go scenario, small, and checks its figure.
func TestGoClientScenarios(t *testing.T) {
	s := startServer(t)
	s.setPID(os.Getpid())
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func() (float64, error)
	}{
		{"pingpong", func() (float64, error) {
			return goRoundTrips(ctx, s.url(), []byte("0123456789abcdef0123456789abcdef"), ws.OpText, 10, 30)
		}},
		{"echo1m", func() (float64, error) {
			return goRoundTrips(ctx, s.url(), make([]byte, 1<<20), ws.OpBinary, 10, 30)
		}},
		{"stream", func() (float64, error) { return goStream(ctx, s.url(), 100, 5000) }},
		{"fanout", func() (float64, error) { return goFanout(ctx, s.url(), 20, 5, 2) }},
		{"idle", func() (float64, error) { return goIdle(ctx, s.url(), 50, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.run()
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || (tc.name != "idle" && v <= 0) {
				t.Fatalf("figure %v", v)
			}
		})
	}
}

func TestParseParams(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want map[string]float64
		err  bool
	}{
		{nil, map[string]float64{}, false},
		{[]string{"ms=1000", "warm=0.5"}, map[string]float64{"ms": 1000, "warm": 0.5}, false},
		{[]string{"ms"}, nil, true},
		{[]string{"ms=fast"}, nil, true},
	} {
		got, err := parseParams(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("parseParams(%q): error %v", tc.in, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("parseParams(%q) = %v, want %v", tc.in, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("parseParams(%q)[%s] = %v, want %v", tc.in, k, got[k], v)
			}
		}
	}
}

func FuzzParseParams(f *testing.F) {
	f.Add("ms=1000")
	f.Add("conns=10000 settle=500")
	f.Add("=")
	f.Add("a=1e400")
	f.Fuzz(func(t *testing.T, s string) {
		params, err := parseParams(strings.Fields(s))
		if err == nil && len(params) > len(strings.Fields(s)) {
			t.Fatalf("%d parameters from %q", len(params), s)
		}
	})
}

func TestParseResult(t *testing.T) {
	out := []byte("warming up\n{\"scenario\":\"stream\",\"value\":12.5}\n")
	if v, err := parseResult(out, "stream"); err != nil || v != 12.5 {
		t.Errorf("parseResult = %v, %v", v, err)
	}
	if _, err := parseResult(out, "idle"); err == nil {
		t.Error("parseResult found a result for another scenario")
	}
}

func FuzzParseResult(f *testing.F) {
	f.Add([]byte("{\"scenario\":\"idle\",\"value\":4342}\n"), "idle")
	f.Add([]byte("noise\n{\"scenario\":1}"), "stream")
	f.Fuzz(func(t *testing.T, out []byte, name string) {
		_, _ = parseResult(out, name)
	})
}

func TestMedianAndFormat(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
	for _, tc := range []struct {
		in   float64
		want string
	}{{2.25, "2.2"}, {99.94, "99.9"}, {100, "100"}, {1234567, "1,234,567"}, {-4321, "-4,321"}, {math.NaN(), "-"}} {
		if got := format(tc.in); got != tc.want {
			t.Errorf("format(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTargets(t *testing.T) {
	r := newResults()
	for _, v := range []struct {
		scen, rt string
		v        float64
	}{
		{"pingpong", "wsjs", 45}, {"pingpong", "bun", 50}, {"pingpong", "deno", 30}, {"pingpong", "go", 50},
		{"idle", "wsjs", 4000}, {"idle", "bun", 7000}, {"idle", "go", 5000},
		{"startup", "wsjs", 2}, {"startup", "bun", 1},
	} {
		r.add(v.scen, v.rt, v.v)
	}
	got := map[string]float64{}
	for _, tg := range targets(r) {
		got[tg.title+" "+tg.what] = tg.ratio
	}
	want := map[string]float64{
		"ping-pong 32 B wsjs / best peer (bun)":          0.9,
		"ping-pong 32 B wsjs / plain Go":                 0.9,
		"idle memory, 10,000 open best peer (go) / wsjs": 1.25,
		"startup, empty script best peer (bun) / wsjs":   0.5,
	}
	for k, v := range want {
		if math.Abs(got[k]-v) > 1e-9 {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	var b strings.Builder
	printTable(&b, r, []string{"wsjs", "bun", "deno", "go"}, 1)
	for _, s := range []string{"ping-pong 32 B", "NOT MET", "met", "0.90x"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
}
