package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gobwas/ws"
)

// The plain Go client runs the scenarios of bench.js on gobwas/ws directly, with no
// JavaScript and no event loop: the ceiling the runtimes are compared with. Each socket
// has one reader goroutine at most and a 4 KiB read buffer.

// gconn is a client connection.
type gconn struct {
	c   net.Conn
	br  *bufio.Reader
	out []byte // reused frame buffer
	in  []byte // reused payload buffer
}

func dialGo(ctx context.Context, u string) (*gconn, error) {
	c, br, _, err := ws.Dialer{}.Dial(ctx, u)
	if err != nil {
		return nil, err
	}
	if br == nil {
		br = bufio.NewReaderSize(c, 4<<10)
	}
	return &gconn{c: c, br: br}, nil
}

// send writes one masked frame in a single write.
func (g *gconn) send(op ws.OpCode, p []byte) error {
	h := ws.Header{Fin: true, OpCode: op, Length: int64(len(p)), Masked: true}
	binaryMask(&h.Mask)
	n := ws.HeaderSize(h)
	if cap(g.out) < n+len(p)+ws.MaxHeaderSize {
		g.out = make([]byte, n+len(p)+ws.MaxHeaderSize)
	}
	out := g.out[:n+len(p)]
	// WriteHeaderBuffer encodes the header at the start of the buffer it is given.
	if err := ws.WriteHeaderBuffer(io.Discard, h, g.out[:0]); err != nil {
		return err
	}
	copy(out[n:], p)
	ws.Cipher(out[n:], h.Mask, 0)
	_, err := g.c.Write(out)
	return err
}

func binaryMask(m *[4]byte) {
	v := rand.Uint32()
	m[0], m[1], m[2], m[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// recv reads one data message (unfragmented, as the server sends them); the payload
// is valid until the next call.
func (g *gconn) recv() (ws.OpCode, []byte, error) {
	for {
		h, err := ws.ReadHeader(g.br)
		if err != nil {
			return 0, nil, err
		}
		if int64(cap(g.in)) < h.Length {
			g.in = make([]byte, h.Length)
		}
		p := g.in[:h.Length]
		if _, err := io.ReadFull(g.br, p); err != nil {
			return 0, nil, err
		}
		switch h.OpCode {
		case ws.OpClose:
			return 0, nil, io.EOF
		case ws.OpPing, ws.OpPong:
			continue
		}
		return h.OpCode, p, nil
	}
}

// close runs the closing handshake: a close frame, then whatever comes until the
// server's close frame or the end of the stream.
func (g *gconn) close() {
	_ = g.send(ws.OpClose, []byte{0x03, 0xe8})
	for {
		if _, _, err := g.recv(); err != nil {
			break
		}
	}
	g.c.Close()
}

func dialMany(ctx context.Context, u string, n, batch int) ([]*gconn, error) {
	all := make([]*gconn, n)
	for i := 0; i < n; i += batch {
		var wg sync.WaitGroup
		errs := make([]error, min(batch, n-i))
		for j := range errs {
			wg.Go(func() { all[i+j], errs[j] = dialGo(ctx, u) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	return all, nil
}

func closeMany(conns []*gconn) {
	var wg sync.WaitGroup
	for _, g := range conns {
		wg.Go(g.close)
	}
	wg.Wait()
}

// runGoClient runs scenario against base and prints the result as bench.js does.
func runGoClient(base, scenario string, params map[string]float64) error {
	ctx := context.Background()
	p := func(name string, def float64) float64 {
		if v, ok := params[name]; ok {
			return v
		}
		return def
	}
	var v float64
	var err error
	switch scenario {
	case "pingpong":
		v, err = goRoundTrips(ctx, base, []byte(strings.Repeat("x", 32)), ws.OpText, p("warm", 300), p("ms", 1000))
	case "echo1m":
		msg := make([]byte, 1<<20)
		for i := range msg {
			msg[i] = byte(i)
		}
		v, err = goRoundTrips(ctx, base, msg, ws.OpBinary, p("warm", 300), p("ms", 1000))
		v = v * float64(len(msg)) / 1e6
	case "stream":
		v, err = goStream(ctx, base, int(p("warm", 20000)), int(p("count", 300000)))
	case "fanout":
		v, err = goFanout(ctx, base, int(p("conns", 1000)), int(p("msgs", 20)), int(p("rounds", 5)))
	case "idle":
		v, err = goIdle(ctx, base, int(p("conns", 10000)), time.Duration(p("settle", 500))*time.Millisecond)
	default:
		return fmt.Errorf("unknown scenario %q", scenario)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(result{Scenario: scenario, Value: v})
}

// result is the line a client prints.
type result struct {
	Scenario string  `json:"scenario"`
	Value    float64 `json:"value"`
}

func goRoundTrips(ctx context.Context, base string, msg []byte, op ws.OpCode, warm, ms float64) (float64, error) {
	g, err := dialGo(ctx, base+"/echo")
	if err != nil {
		return 0, err
	}
	defer g.close()
	t0 := time.Now()
	measuring := false
	n := 0
	for {
		if err := g.send(op, msg); err != nil {
			return 0, err
		}
		_, p, err := g.recv()
		if err != nil {
			return 0, err
		}
		if len(p) != len(msg) {
			return 0, errors.New("bad echo")
		}
		n++
		el := float64(time.Since(t0)) / float64(time.Millisecond)
		if !measuring {
			if el >= warm {
				measuring, t0, n = true, time.Now(), 0
			}
		} else if el >= ms {
			return float64(n) * 1000 / el, nil
		}
	}
}

func goStream(ctx context.Context, base string, warm, count int) (float64, error) {
	g, err := dialGo(ctx, base+"/stream")
	if err != nil {
		return 0, err
	}
	defer g.close()
	run := func(n int) (float64, error) {
		t0 := time.Now()
		if err := g.send(ws.OpText, []byte(strconv.Itoa(n))); err != nil {
			return 0, err
		}
		for range n {
			_, p, err := g.recv()
			if err != nil {
				return 0, err
			}
			if len(p) != streamSize {
				return 0, errors.New("bad message")
			}
		}
		return float64(n) / time.Since(t0).Seconds(), nil
	}
	if _, err := run(warm); err != nil {
		return 0, err
	}
	return run(count)
}

func goFanout(ctx context.Context, base string, conns, msgs, rounds int) (float64, error) {
	group := strconv.FormatUint(rand.Uint64(), 36)
	all, err := dialMany(ctx, base+"/fanout?g="+group, conns, 250)
	if err != nil {
		return 0, err
	}
	defer closeMany(all)
	start := make([]chan struct{}, conns)
	done := make(chan error, conns)
	for i, g := range all {
		start[i] = make(chan struct{}, 1)
		go func() {
			for range start[i] {
				var err error
				for range msgs {
					if _, _, err = g.recv(); err != nil {
						break
					}
				}
				done <- err
			}
		}()
	}
	defer func() {
		for _, c := range start {
			close(c)
		}
	}()
	round := func() error {
		for _, c := range start {
			c <- struct{}{}
		}
		if err := all[0].send(ws.OpText, []byte(strconv.Itoa(msgs))); err != nil {
			return err
		}
		var errs []error
		for range conns {
			errs = append(errs, <-done)
		}
		return errors.Join(errs...)
	}
	if err := round(); err != nil {
		return 0, err
	}
	t0 := time.Now()
	for range rounds {
		if err := round(); err != nil {
			return 0, err
		}
	}
	return float64(conns*msgs*rounds) / time.Since(t0).Seconds(), nil
}

func goIdle(ctx context.Context, base string, conns int, settle time.Duration) (float64, error) {
	probe, err := dialGo(ctx, base+"/rss")
	if err != nil {
		return 0, err
	}
	defer probe.close()
	rss := func() (float64, error) {
		if err := probe.send(ws.OpText, []byte("rss")); err != nil {
			return 0, err
		}
		_, p, err := probe.recv()
		if err != nil {
			return 0, err
		}
		return strconv.ParseFloat(string(p), 64)
	}
	warm, err := dialMany(ctx, base+"/echo", 100, 100)
	if err != nil {
		return 0, err
	}
	closeMany(warm)
	time.Sleep(settle)
	before, err := rss()
	if err != nil {
		return 0, err
	}
	all, err := dialMany(ctx, base+"/echo", conns, 500)
	if err != nil {
		return 0, err
	}
	// One reader goroutine per socket, blocked on its 4 KiB buffer, as a Go program
	// serving many idle sockets would have.
	var wg sync.WaitGroup
	for _, g := range all {
		wg.Go(func() {
			for {
				if _, _, err := g.recv(); err != nil {
					return
				}
			}
		})
	}
	time.Sleep(settle)
	after, err := rss()
	if err != nil {
		return 0, err
	}
	for _, g := range all {
		_ = g.send(ws.OpClose, []byte{0x03, 0xe8})
	}
	wg.Wait()
	for _, g := range all {
		g.c.Close()
	}
	return (after - before) / float64(conns), nil
}
