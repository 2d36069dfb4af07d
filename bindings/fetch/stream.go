package fetch

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/webidl"
)

// streamAPI holds what bodies use of the Streams API (package streams), as
// the realm defined it before scripts ran. It is nil when no ReadableStream
// interface is defined: bodies then have no stream and their body attribute
// is null.
type streamAPI struct {
	getReader       goja.Callable // ReadableStream.prototype.getReader
	tee             goja.Callable // ReadableStream.prototype.tee
	pipeThrough     goja.Callable // ReadableStream.prototype.pipeThrough
	read            goja.Callable // ReadableStreamDefaultReader.prototype.read
	transformStream *goja.Object  // TransformStream
	then            goja.Callable // %Promise.prototype.then%
	typedArrayTag   goja.Callable // the getter of %TypedArray%.prototype[@@toStringTag]
}

// captureStreams finds the Streams API, if the realm has it.
func (b *binding) captureStreams() error {
	r := b.r
	if r.Prototype("ReadableStream") == nil {
		return nil
	}
	sx := &streamAPI{}
	for _, f := range []struct {
		dst         *goja.Callable
		iface, name string
	}{
		{&sx.getReader, "ReadableStream", "getReader"},
		{&sx.tee, "ReadableStream", "tee"},
		{&sx.pipeThrough, "ReadableStream", "pipeThrough"},
		{&sx.read, "ReadableStreamDefaultReader", "read"},
	} {
		if *f.dst = r.Member(f.iface, f.name); *f.dst == nil {
			return fmt.Errorf("%s.prototype.%s is not defined", f.iface, f.name)
		}
	}
	if sx.transformStream = r.InterfaceObject("TransformStream"); sx.transformStream == nil {
		return errors.New("TransformStream is not defined")
	}
	in := webidl.Intrinsics{VM: r.VM()}
	var ok bool
	if sx.then, ok = goja.AssertFunction(in.Value("Promise", "prototype", "then")); !ok {
		return errNotFunction("Promise.prototype.then")
	}
	if sx.typedArrayTag, ok = goja.AssertFunction(in.Value("Uint8Array", "prototype", "[[Prototype]]", "get @@toStringTag")); !ok {
		return errNotFunction("%TypedArray%.prototype[@@toStringTag]")
	}
	b.sx = sx
	b.bodyInitUnion.Interfaces = append(b.bodyInitUnion.Interfaces, "ReadableStream")
	return nil
}

// bodyStream returns bd's stream (the body attribute,
// https://fetch.spec.whatwg.org/#dom-body-body), creating it the first time for
// a body that has none yet.
func (b *binding) bodyStream(bd *body) goja.Value {
	if bd == nil || b.sx == nil {
		return goja.Null()
	}
	if bd.stream == nil {
		b.createStream(bd)
	}
	return bd.stream
}

// createStream gives bd a ReadableStream of its bytes (the stream that
// "extract", https://fetch.spec.whatwg.org/#concept-bodyinit-extract, or the
// network sets up). A network body not yet read and not shared with a clone is
// read chunk by chunk as the stream is pulled; any other is delivered whole
// once complete. A body already consumed gets a stream that is disturbed and
// locked, as the reader that read it would have left it.
func (b *binding) createStream(bd *body) {
	data := bd.data
	var src streams.Source
	nb := data.net
	if nb != nil && !data.reading && data.refs <= 1 {
		data.net, data.reading = nil, true
		nb.taken.Store(true)
		src.Pull = func(c *streams.ReadableController) goja.Value { return b.pullNetwork(c, nb) }
		src.Cancel = func(*streams.ReadableController, goja.Value) goja.Value {
			nb.close()
			return nil
		}
	} else {
		nb = nil
		sent := false
		src.Pull = func(c *streams.ReadableController) goja.Value {
			if sent {
				return nil
			}
			sent = true
			p, resolve, _ := b.r.NewPromise()
			b.whenDone(data, func() {
				if data.failed {
					c.Error(b.failureReason(data))
				} else {
					if len(data.bytes) == 0 {
						c.Close()
					} else if chunk, ok := b.newUint8Array(data.bytes); ok {
						_ = c.Enqueue(chunk)
						c.Close()
					} else {
						c.Error(b.r.NewRangeError(bindings.AllocationFailed))
					}
				}
				resolve(goja.Undefined())
			})
			return p
		}
	}
	// The body's stream is set up with byte reading support, by "extract"
	// (https://fetch.spec.whatwg.org/#concept-bodyinit-extract) as by the network
	// (https://fetch.spec.whatwg.org/#concept-http-network-fetch).
	src.Bytes = true
	obj, ctrl, err := streams.NewReadableStream(b.r, src)
	if err != nil {
		panic(b.r.VM().NewGoError(err))
	}
	bd.stream, bd.ctrl = obj, ctrl
	if nb != nil {
		// A stream dropped unread releases the connection.
		runtime.AddCleanup(ctrl, func(nb *netBody) { nb.close() }, nb)
	}
	if bd.disturbed {
		b.lockAndDisturb(obj)
	}
}

// chunkBuffers hold network reads until they are copied into the realm.
var chunkBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// pullNetwork reads the next chunk of a network body on another goroutine
// and enqueues it in a task; the pull's promise settles then.
func (b *binding) pullNetwork(c *streams.ReadableController, nb *netBody) goja.Value {
	p, resolve, _ := b.r.NewPromise()
	release := b.hold()
	go func() {
		buf := chunkBuffers.Get().(*[]byte)
		n, err := nb.rc.Read(*buf)
		task := func() {
			release()
			if n > 0 {
				if chunk, ok := b.newUint8Array((*buf)[:n]); ok {
					_ = c.Enqueue(chunk)
				} else {
					err = errChunkMemory
				}
			}
			chunkBuffers.Put(buf)
			switch {
			case err == io.EOF:
				nb.close()
				c.Close()
			case err == errChunkMemory:
				nb.close()
				c.Error(b.r.NewRangeError(bindings.AllocationFailed))
			case err != nil:
				nb.close()
				c.Error(b.r.VM().NewTypeError("Failed to read the body: network error"))
			}
			resolve(goja.Undefined())
		}
		if !b.queue(task) {
			release()
			chunkBuffers.Put(buf)
			nb.close()
		}
	}()
	return p
}

// errChunkMemory is what reading a chunk of a network body ends with when
// the memory budget has no room for it.
var errChunkMemory = errors.New("fetch: no room in the memory budget for a chunk of the body")

// newUint8Array creates a Uint8Array holding a copy of p charged to the
// memory budget, or reports false if the budget has no room for it.
func (b *binding) newUint8Array(p []byte) (goja.Value, bool) {
	ab, err := b.newArrayBuffer(p)
	if err != nil {
		return nil, false
	}
	o, err := b.r.VM().New(b.uint8Array, ab)
	if err != nil {
		panic(err)
	}
	return o, true
}

// lockAndDisturb acquires a reader for stream and reads from it, leaving
// the stream locked and disturbed.
func (b *binding) lockAndDisturb(stream *goja.Object) {
	reader, err := b.sx.getReader(stream)
	if err != nil {
		panic(err)
	}
	p, err := b.sx.read(reader)
	if err != nil {
		panic(err)
	}
	// Nothing waits for this read: its failure is not an unhandled
	// rejection.
	noop := b.r.VM().ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	if _, err := b.sx.then(p, noop, noop); err != nil {
		panic(err)
	}
}

// proxyStream implements "create a proxy" of a stream
// (https://streams.spec.whatwg.org/#readablestream-create-a-proxy): the
// stream piped through an identity TransformStream.
func (b *binding) proxyStream(stream *goja.Object) *goja.Object {
	ts, err := b.r.VM().New(b.sx.transformStream)
	if err != nil {
		panic(err)
	}
	out, err := b.sx.pipeThrough(stream, ts)
	if err != nil {
		panic(err)
	}
	return out.(*goja.Object)
}

// readAllBytes implements "read all bytes" from a stream
// (https://streams.spec.whatwg.org/#readablestreamdefaultreader-read-all-bytes):
// a reader is acquired and every chunk, each of which must be a Uint8Array,
// is appended until the stream closes.
func (b *binding) readAllBytes(stream *goja.Object, success func([]byte), failure func(goja.Value)) {
	r := b.r
	vm := r.VM()
	reader, err := b.sx.getReader(stream)
	if err != nil {
		failure(exceptionValue(err))
		return
	}
	// The bytes gathered are charged to the memory budget until collected.
	buf := bindings.Buffer{Budget: b.net.memory}
	var next func()
	onChunk := vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		res, ok := fc.Argument(0).(*goja.Object)
		if !ok {
			failure(vm.NewTypeError("The stream's read result is not an object"))
			return goja.Undefined()
		}
		if res.Get("done").ToBoolean() {
			success(buf.Bytes())
			return goja.Undefined()
		}
		chunk := res.Get("value")
		if tag, err := b.sx.typedArrayTag(chunk); err != nil || tag.String() != "Uint8Array" {
			failure(vm.NewTypeError("The body's stream gave a chunk that is not a Uint8Array"))
			return goja.Undefined()
		}
		if _, err := buf.Write(r.BufferSourceBytes(chunk)); err != nil {
			buf.Free()
			failure(r.NewRangeError(bindings.AllocationFailed))
			return goja.Undefined()
		}
		next()
		return goja.Undefined()
	})
	onError := vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		failure(fc.Argument(0))
		return goja.Undefined()
	})
	next = func() {
		p, err := b.sx.read(reader)
		if err != nil {
			failure(exceptionValue(err))
			return
		}
		if _, err := b.sx.then(p, onChunk, onError); err != nil {
			failure(exceptionValue(err))
		}
	}
	next()
}

// isStreamBody reports whether bd is a body whose bytes are not known: a
// stream given by script (a body with a null source).
func isStreamBody(bd *body) bool { return bd != nil && !bd.hasSource && bd.data == nil }
