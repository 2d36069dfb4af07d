package transport

import (
	"bytes"
	"testing"

	"github.com/gobwas/ws"
)

// TestCopyMasked checks that a payload masked as it is copied unmasks, fragment
// by fragment with the keys recorded, to what was sent, whatever its length
// against the chunk and fragment sizes.
func TestCopyMasked(t *testing.T) {
	for _, n := range []int{0, 1, 3, 15, 16, 17, maskChunk - 1, maskChunk, maskChunk + 5,
		fragmentSize - 1, fragmentSize, fragmentSize + 1, 3*fragmentSize + 100} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(i*7 + i>>8)
		}
		for _, text := range []bool{false, true} {
			f := outFrame{buf: getBuf(hdrRoom + n)}
			if text {
				copyMasked(&f, string(src))
			} else {
				copyMasked(&f, src)
			}
			if want := max(0, (n-1)/fragmentSize); len(f.more) != want {
				t.Fatalf("%d bytes: %d keys after the first, want %d", n, len(f.more), want)
			}
			got := bytes.Clone(f.payload())
			for off := 0; off < n; off += fragmentSize {
				ws.Cipher(got[off:min(off+fragmentSize, n)], f.fragmentKey(off), 0)
			}
			if !bytes.Equal(got, src) {
				t.Fatalf("%d bytes (text %v): unmasked payload differs", n, text)
			}
			putBuf(f.buf)
		}
	}
}

// BenchmarkMask1M compares masking a 1 MiB message in a pass of its own after
// copying it with masking it as it is copied (copyMasked).
func BenchmarkMask1M(b *testing.B) {
	src := make([]byte, 1<<20)
	b.Run("copy-then-mask", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			f := outFrame{buf: getBuf(hdrRoom + len(src))}
			p := f.payload()
			copy(p, src)
			for off := 0; off < len(p); off += fragmentSize {
				ws.Cipher(p[off:min(off+fragmentSize, len(p))], newKey(), 0)
			}
			putBuf(f.buf)
		}
	})
	b.Run("mask-while-copying", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			f := outFrame{buf: getBuf(hdrRoom + len(src))}
			copyMasked(&f, src)
			putBuf(f.buf)
		}
	})
}
