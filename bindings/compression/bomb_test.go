package compression

import (
	"bytes"
	"compress/flate"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/dop251/goja"
)

// bombSize is what the zip bomb of these tests inflates to.
const bombSize = 64 << 20

// zipBomb returns bombSize zero bytes compressed as deflate-raw: about 64 KiB.
// Callers must not change them.
var zipBomb = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range bombSize / len(zeros) {
		_, _ = w.Write(zeros)
	}
	_ = w.Close()
	return buf.Bytes()
})

// heapInUse returns the bytes of live heap objects after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestZipBombDecompressor feeds a zip bomb to a decompressor in one chunk:
// its output comes in pieces of pieceSize bytes at most, made one at a time,
// and the heap does not grow with the output.
func TestZipBombDecompressor(t *testing.T) {
	bomb := zipBomb()
	base := heapInUse()
	d := newDecompressor(formatDeflateRaw)
	if err := d.write(bytes.Clone(bomb)); err != nil {
		t.Fatal(err)
	}
	total, pieces, peak := 0, 0, uint64(0)
	for {
		piece, err := d.next()
		if err != nil {
			t.Fatal(err)
		}
		if piece == nil {
			break
		}
		if len(piece) > pieceSize {
			t.Fatalf("a piece of %d bytes", len(piece))
		}
		total += len(piece)
		if pieces++; pieces%256 == 0 {
			peak = max(peak, heapInUse())
		}
	}
	d.finish()
	if piece, err := d.next(); piece != nil || err != nil {
		t.Fatalf("after finish: %d bytes, %v", len(piece), err)
	}
	if total != bombSize {
		t.Fatalf("inflated to %d bytes, want %d", total, bombSize)
	}
	if grown := int64(peak) - int64(base); grown > 8<<20 {
		t.Errorf("the heap grew by %d bytes while %d were inflated", grown, total)
	}
	t.Logf("%d bytes of input, %d pieces, heap grown by at most %d bytes", len(bomb), pieces, int64(peak)-int64(base))
}

// TestZipBombStream writes a zip bomb to a DecompressionStream. Before anything
// is read, a single batch of chunks is queued and the write waits; then the
// output is read to its end in chunks of pieceSize bytes at most while the
// heap stays small.
func TestZipBombStream(t *testing.T) {
	e := newEnv(t, nil)
	e.vm.Set("bomb", e.vm.ToValue(e.vm.NewArrayBuffer(bytes.Clone(zipBomb()))))
	base := heapInUse()
	var peak uint64
	e.vm.Set("sampleHeap", func() { peak = max(peak, heapInUse()) })
	e.vm.Set("queued", func(v goja.Value) float64 {
		impl, _ := e.realm.Impl(v, "DecompressionStream")
		return -impl.(*stream).transform.DesiredSize()
	})
	got := e.run(t, `
		const ds = new DecompressionStream("deflate-raw");
		const w = ds.writable.getWriter(), r = ds.readable.getReader();
		let written = false;
		const write = w.write(bomb).then(() => { written = true });
		const close = w.close();
		const first = await r.read();
		for (let i = 0; i < 10; i++) await null;
		const before = [first.value.length <= 65536, queued(ds), written].join();
		let total = first.value.length, chunks = 1, largest = first.value.length;
		for (;;) {
			const {value, done} = await r.read();
			if (done) break;
			total += value.length;
			largest = Math.max(largest, value.length);
			if (++chunks % 256 === 0) sampleHeap();
		}
		await write; await close;
		return before + " " + [total, largest <= 65536, chunks >= total / 65536].join()`)
	want := "true,15,false " + strconv.Itoa(bombSize) + ",true,true"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if grown := int64(peak) - int64(base); grown > 16<<20 {
		t.Errorf("the heap grew by %d bytes while the stream inflated %d", grown, bombSize)
	}
}

// TestDroppedDecompressorsEnd drops decompressors that wait for input in the
// middle of a stream: their coroutines end once they are collected.
func TestDroppedDecompressorsEnd(t *testing.T) {
	compressed, err := code(t, newCompressor(formatDeflateRaw), randomBytes(10000), 0)
	if err != nil {
		t.Fatal(err)
	}
	half := compressed[:len(compressed)/2]
	before := runtime.NumGoroutine()
	for range 50 {
		d := newDecompressor(formatDeflateRaw)
		_ = d.write(bytes.Clone(half))
		for {
			piece, err := d.next()
			if err != nil {
				t.Fatal(err)
			}
			if piece == nil {
				break
			}
		}
	}
	for range 20 {
		runtime.GC()
		if runtime.NumGoroutine() <= before+5 {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("%d goroutines before, %d after the decompressors were dropped", before, runtime.NumGoroutine())
}

// TestCancelWhileOutputWaits cancels the readable side while a write's output
// waits to be read: the write ends, rejected, and nothing more is made.
func TestCancelWhileOutputWaits(t *testing.T) {
	e := newEnv(t, nil)
	e.vm.Set("bomb", e.vm.ToValue(e.vm.NewArrayBuffer(bytes.Clone(zipBomb()))))
	got := e.run(t, `
		const ds = new DecompressionStream("deflate-raw");
		const w = ds.writable.getWriter(), r = ds.readable.getReader();
		const write = w.write(bomb).then(() => "written", e => e.name);
		await r.read();
		await r.cancel(new Error("enough"));
		return [await write, await w.closed.catch(e => e.message)].join()`)
	if want := "TypeError,enough"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
