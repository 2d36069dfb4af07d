package websocket

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"os"
	goruntime "runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// These benchmarks measure the binding end to end: frames on a loopback socket to a
// JavaScript handler, and send() in script to frames read by the server. One op is one
// message. The timer runs from the open event to the last message.

// benchServer accepts connections on loopback and runs handle on each after the
// opening handshake, with the connection's buffered reader.
func benchServer(b *testing.B, handle func(c net.Conn, br *bufio.Reader)) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	b.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReaderSize(c, 64<<10)
				if _, err := ws.Upgrade(struct {
					io.Reader
					io.Writer
				}{br, c}); err != nil {
					return
				}
				handle(c, br)
			}()
		}
	}()
	return "ws://" + ln.Addr().String() + "/"
}

// runBench runs src in a realm with WebSocket, with N, URL, start() (resets the timer)
// and stop() (stops it) as globals, on an event loop driven by the benchmark goroutine.
func runBench(b *testing.B, url, src string) { runBenchWith(b, url, src, nil) }

// benchPolicy is the network policy of the benchmarks' sockets; nil in all
// but the metered ones.
var benchPolicy *network.Policy

// metered runs bench with its sockets counted by a network.Meter, as those of
// a runtime are.
func metered(b *testing.B, bench func(*testing.B)) {
	benchPolicy = &network.Policy{Meter: new(network.Meter)}
	defer func() { benchPolicy = nil }()
	bench(b)
	if benchPolicy.Meter.BytesRead() == 0 {
		b.Fatal("nothing counted")
	}
}

// runBenchWith is runBench with setup adding globals first.
func runBenchWith(b *testing.B, url, src string, setup func(vm *goja.Runtime)) {
	b.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	var failure error
	loop := eventloop.New(vm, eventloop.Options{OnException: func(exc *goja.Exception) { failure = exc }})
	defer loop.Close()
	benv := bindings.NewEnv(r, loop)
	bindings.Configure(benv, Options{DisableCompression: true, MaxSockets: -1, Network: benchPolicy})
	if err := bindings.Install(benv, Binding); err != nil {
		b.Fatal(err)
	}
	_ = vm.Set("N", b.N)
	_ = vm.Set("URL", url)
	_ = vm.Set("start", func() { b.ReportAllocs(); b.ResetTimer() })
	_ = vm.Set("stop", func() { b.StopTimer() })
	if setup != nil {
		setup(vm)
	}
	p := goja.MustCompile("bench.js", src, false)
	loop.Queue(func() { _, _ = loop.RunProgram(p) })
	if err := loop.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	if failure != nil {
		b.Fatal(failure)
	}
}

// streamFrames answers a text message "N" with N copies of frame.
func streamFrames(frame []byte) func(c net.Conn, br *bufio.Reader) {
	return func(c net.Conn, br *bufio.Reader) {
		batch := bytes.Repeat(frame, max(1, (64<<10)/len(frame)))
		per := len(batch) / len(frame)
		for {
			f, err := ws.ReadFrame(br)
			if err != nil || f.Header.OpCode == ws.OpClose {
				_ = ws.WriteFrame(c, ws.NewCloseFrame(nil))
				return
			}
			n, _ := strconv.Atoi(string(ws.UnmaskFrameInPlace(f).Payload))
			for ; n >= per; n -= per {
				if _, err := c.Write(batch); err != nil {
					return
				}
			}
			if _, err := c.Write(batch[:n*len(frame)]); err != nil {
				return
			}
		}
	}
}

func benchmarkReceive(b *testing.B, op ws.OpCode, size int, binaryType string) {
	frame := ws.MustCompileFrame(ws.NewFrame(op, true, bytes.Repeat([]byte{'r'}, size)))
	url := benchServer(b, streamFrames(frame))
	b.SetBytes(int64(size))
	runBench(b, url, `
		const ws = new WebSocket(URL);
		ws.binaryType = "`+binaryType+`";
		let n = 0;
		ws.onopen = () => { start(); ws.send(String(N)); };
		ws.onmessage = (e) => {
			if (++n === N) { stop(); ws.close(); }
		};
	`)
}

// BenchmarkReceiveText32 is a 32-byte text message from the socket to onmessage.
func BenchmarkReceiveText32(b *testing.B) { benchmarkReceive(b, ws.OpText, 32, "blob") }

// BenchmarkReceiveText32Metered is BenchmarkReceiveText32 with the bytes
// counted.
func BenchmarkReceiveText32Metered(b *testing.B) { metered(b, BenchmarkReceiveText32) }

// BenchmarkReceiveArrayBuffer4K is a 4 KiB binary message to onmessage as an ArrayBuffer.
func BenchmarkReceiveArrayBuffer4K(b *testing.B) {
	benchmarkReceive(b, ws.OpBinary, 4<<10, "arraybuffer")
}

// BenchmarkReceiveBlob4K is a 4 KiB binary message to onmessage as a Blob.
func BenchmarkReceiveBlob4K(b *testing.B) { benchmarkReceive(b, ws.OpBinary, 4<<10, "blob") }

// BenchmarkReceiveSmall is the streaming scenario of make bench: 64-byte text
// messages, written by the server as fast as it can, to onmessage.
func BenchmarkReceiveSmall(b *testing.B) { benchmarkReceive(b, ws.OpText, 64, "blob") }

// BenchmarkReceive1MiB is a 1 MiB binary message, in one frame, to onmessage as an
// ArrayBuffer.
func BenchmarkReceive1MiB(b *testing.B) {
	benchmarkReceive(b, ws.OpBinary, 1<<20, "arraybuffer")
}

// countFrames reads data frames until it has seen as many as the first text
// message, "N", announces, then answers "done".
func countFrames(c net.Conn, br *bufio.Reader) {
	f, err := ws.ReadFrame(br)
	if err != nil {
		return
	}
	n, _ := strconv.Atoi(string(ws.UnmaskFrameInPlace(f).Payload))
	for i := 0; i < n; {
		h, err := ws.ReadHeader(br)
		if err != nil {
			return
		}
		if _, err := br.Discard(int(h.Length)); err != nil {
			return
		}
		if h.OpCode.IsData() {
			i++
		}
	}
	_ = ws.WriteFrame(c, ws.NewTextFrame([]byte("done")))
	for {
		f, err := ws.ReadFrame(br)
		if err != nil || f.Header.OpCode == ws.OpClose {
			_ = ws.WriteFrame(c, ws.NewCloseFrame(nil))
			return
		}
	}
}

func benchmarkSend(b *testing.B, msg string, size int) {
	url := benchServer(b, countFrames)
	b.SetBytes(int64(size))
	runBench(b, url, `
		const ws = new WebSocket(URL);
		const msg = `+msg+`;
		ws.onopen = () => {
			ws.send(String(N));
			start();
			for (let i = 0; i < N; i++) ws.send(msg);
		};
		ws.onmessage = () => { stop(); ws.close(); };
	`)
}

// BenchmarkSendText32 is send() of a 32-byte string until the server has read it.
func BenchmarkSendText32(b *testing.B) { benchmarkSend(b, `"`+strings.Repeat("s", 32)+`"`, 32) }

// BenchmarkSendArrayBuffer4K is send() of a 4 KiB ArrayBuffer until the server has
// read it.
func BenchmarkSendArrayBuffer4K(b *testing.B) { benchmarkSend(b, `new ArrayBuffer(4096)`, 4<<10) }

// echoFrames echoes data frames unmasked and answers a close frame.
func echoFrames(c net.Conn, br *bufio.Reader) {
	bw := bufio.NewWriterSize(c, 64<<10)
	for {
		f, err := ws.ReadFrame(br)
		if err != nil {
			return
		}
		f = ws.UnmaskFrameInPlace(f)
		if f.Header.OpCode == ws.OpClose {
			_ = ws.WriteFrame(c, ws.NewCloseFrame(nil))
			return
		}
		if err := ws.WriteFrame(bw, f); err != nil {
			return
		}
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				return
			}
		}
	}
}

// BenchmarkRoundTrip32 is one 32-byte text message sent and its echo received, the
// next sent from the message handler: ping-pong latency through the whole stack.
func BenchmarkRoundTrip32(b *testing.B) {
	url := benchServer(b, echoFrames)
	runBench(b, url, `
		const ws = new WebSocket(URL);
		const msg = "`+strings.Repeat("p", 32)+`";
		let n = 0;
		ws.onopen = () => { start(); ws.send(msg); };
		ws.onmessage = () => {
			if (++n === N) { stop(); ws.close(); return; }
			ws.send(msg);
		};
	`)
}

// BenchmarkRoundTrip32Metered is BenchmarkRoundTrip32 with the bytes counted.
func BenchmarkRoundTrip32Metered(b *testing.B) { metered(b, BenchmarkRoundTrip32) }

// BenchmarkEcho1MiB is the 1 MiB binary echo scenario of make bench: a 1 MiB
// Uint8Array sent, its echo received as an ArrayBuffer, the next sent from the
// message handler. One op is one round trip; the bytes are one direction's.
func BenchmarkEcho1MiB(b *testing.B) {
	url := benchServer(b, echoFrames)
	b.SetBytes(1 << 20)
	runBench(b, url, `
		const ws = new WebSocket(URL);
		ws.binaryType = "arraybuffer";
		const msg = new Uint8Array(1 << 20).fill(7);
		let n = 0;
		ws.onopen = () => { start(); ws.send(msg); };
		ws.onmessage = (e) => {
			if (e.data.byteLength !== msg.length) throw new Error("bad echo");
			if (++n === N) { stop(); ws.close(); return; }
			ws.send(msg);
		};
	`)
}

var idleHeapProfile = flag.String("idleheapprofile", "", "BenchmarkIdleSocket writes a heap profile to this file while its sockets are open and idle")

// writeIdleHeapProfile writes the heap profile -idleheapprofile asks for: the one
// -memprofile writes is taken once the benchmark has closed its sockets.
func writeIdleHeapProfile(b *testing.B) {
	if *idleHeapProfile == "" {
		return
	}
	f, err := os.Create(*idleHeapProfile)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		b.Error(err)
	}
}

// BenchmarkIdleSocket reports the memory an open, idle WebSocket costs: Go heap and
// goroutine stacks after a collection, per socket, with b.N sockets open at once (run
// it with -benchtime=5000x or so; the figure is the "heap-B/socket" and
// "stack-B/socket" metrics), and the goroutines per socket. As in make bench, the
// sockets are measured half a second after the last one opened. To see what they
// hold, add -memprofilerate=64 and -idleheapprofile=FILE, and read FILE with
// go tool pprof -sample_index=inuse_space.
func BenchmarkIdleSocket(b *testing.B) {
	// The server side is in this process too: it holds as little as it can (no
	// buffer, a goroutine blocked on a 1-byte read) and ends the connection on the
	// first byte after the handshake, the client's close frame.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := ws.Upgrade(c); err != nil {
					return
				}
				var one [1]byte
				_, _ = c.Read(one[:])
			}()
		}
	}()
	url := "ws://" + ln.Addr().String() + "/"
	var before, after goruntime.MemStats
	var goBefore int
	measure := func(m *goruntime.MemStats) {
		for range 3 {
			goruntime.GC()
		}
		goruntime.ReadMemStats(m)
	}
	src := `
		const all = [];
		let opened = 0;
		function openOne() {
			return new Promise((resolve) => {
				const ws = new WebSocket(URL);
				ws.onopen = resolve;
				all.push(ws);
			});
		}
		(async () => {
			for (let i = 0; i < 20; i++) await openOne();
			measureBefore();
			for (let i = 0; i < N; i += 100) {
				const batch = [];
				for (let j = i; j < Math.min(N, i + 100); j++) batch.push(openOne());
				await Promise.all(batch);
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
			measureAfter();
			for (const ws of all) ws.close();
		})();
	`
	vmSetup := func(vm *goja.Runtime) {
		_ = vm.Set("measureBefore", func() {
			measure(&before)
			goBefore = goruntime.NumGoroutine()
		})
		_ = vm.Set("measureAfter", func() {
			measure(&after)
			writeIdleHeapProfile(b)
			n := float64(b.N)
			b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/socket")
			b.ReportMetric(float64(after.StackInuse-before.StackInuse)/n, "stack-B/socket")
			b.ReportMetric(float64(after.HeapObjects-before.HeapObjects)/n, "objects/socket")
			b.ReportMetric(float64(goruntime.NumGoroutine()-goBefore)/n, "goroutines/socket")
		})
	}
	runBenchWith(b, url, src, vmSetup)
}
