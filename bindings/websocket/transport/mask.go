package transport

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/gobwas/ws"
)

// Masking (RFC 6455 section 5.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.3): every frame a client
// sends is masked with an unpredictable key of its own. A data message that is
// sent uncompressed is masked as Send copies it into its frame buffer, each
// fragmentSize bytes with the key of the fragment that will carry them, a
// maskChunk at a time: each chunk is masked while it is still in the cache
// after its copy, instead of a second pass over the whole message at write
// time. Frames made at write time (control frames, compressed data) are masked
// there.

// maskChunk is how much is copied before it is masked: well inside a first-level
// cache, and a multiple of 16 so that every chunk starts at key byte 0.
const maskChunk = 16 << 10

// newKey draws a masking key. math/rand/v2's global generator is ChaCha8 seeded
// from the system's entropy (per thread, so nothing per connection: it cost 320
// bytes of every idle socket).
func newKey() [4]byte {
	var key [4]byte
	binary.LittleEndian.PutUint32(key[:], rand.Uint32())
	return key
}

// premasks reports whether the data messages of c are masked as Send copies
// them: they are sent uncompressed (writeFrameLocked).
func (c *Conn) premasks() bool { return !c.compresses(ws.OpBinary) }

// compresses reports whether messages of op are sent compressed. A window
// smaller than 2^15 was imposed on the compressor, which Go's DEFLATE cannot
// honour: then messages are sent uncompressed, which RFC 7692 section 6
// (https://www.rfc-editor.org/rfc/rfc7692#section-6) allows per message.
func (c *Conn) compresses(op ws.OpCode) bool {
	return c.z != nil && (op == ws.OpText || op == ws.OpBinary) && c.z.dp.clientMaxWindowBits == 15
}

// copyMasked copies src into f's payload, which has its length, masking each
// fragment's bytes with a key drawn for it, and records the keys in f.
func copyMasked[S string | []byte](f *outFrame, src S) {
	dst := f.payload()
	f.masked = true
	if n := (len(src) - 1) / fragmentSize; n > 0 {
		f.more = make([][4]byte, 0, n)
	}
	for off := 0; off < len(src); off += fragmentSize {
		key := newKey()
		if off == 0 {
			f.key = key
		} else {
			f.more = append(f.more, key)
		}
		end := min(off+fragmentSize, len(src))
		for i := off; i < end; i += maskChunk {
			j := min(i+maskChunk, end)
			copy(dst[i:j], src[i:j])
			ws.Cipher(dst[i:j], key, 0) // i-off is a multiple of maskChunk, so of 4
		}
	}
}

// fragmentKey returns the key the fragment at off of f's payload was masked
// with.
func (f *outFrame) fragmentKey(off int) [4]byte {
	if i := off / fragmentSize; i > 0 {
		return f.more[i-1]
	}
	return f.key
}
