package blob

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
)

// streamChunk is the size of the chunks stream() reads a blob in.
const streamChunk = 64 << 10

// stream is the stream() method (https://w3c.github.io/FileAPI/#stream-method-algo),
// which runs "get stream" (https://w3c.github.io/FileAPI/#blob-get-stream): a
// ReadableStream set up with byte reading support, whose chunks are Uint8Arrays holding
// the blob's bytes in order, and which a BYOB reader can read. Chunks are made as the
// stream pulls, rather than all queued at once, which a consumer cannot tell apart. The
// streams package must be registered in the realm.
func (b *binding) stream(data []byte) goja.Value {
	rest := data
	s, _, err := streams.NewReadableStream(b.r, streams.Source{
		Bytes: true,
		Pull: func(c *streams.ReadableController) goja.Value {
			if len(rest) == 0 {
				c.Close()
				return nil
			}
			n := min(len(rest), streamChunk)
			// A new Uint8Array over a new ArrayBuffer holding the bytes; the
			// stream errors if the memory budget has no room for them.
			data, ok := bindings.Copy(b.budget, rest[:n])
			if !ok {
				c.Error(b.r.NewRangeError(bindings.AllocationFailed))
				return nil
			}
			chunk, err := b.vm.New(b.uint8Array, b.r.NewArrayBuffer(data))
			if err != nil {
				panic(err)
			}
			rest = rest[n:]
			if err := c.Enqueue(chunk); err != nil {
				panic(err)
			}
			if len(rest) == 0 {
				c.Close()
			}
			return nil
		},
	})
	if err != nil {
		b.r.ThrowTypeError("Blob.stream: %v", err)
	}
	return s
}
