package fetch

import (
	"io"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/webidl"
)

// bodyData holds the bytes of a body (https://fetch.spec.whatwg.org/#concept-body).
// The bodies of a request or response and of its clones share one bodyData, which
// is what teeing the body's stream amounts to when bodies are read whole: each
// clone gets every byte. A bodyData is complete from the start when it comes from a
// BodyInit; a network body is read when first consumed. Fields are used on the loop
// goroutine only.
type bodyData struct {
	bytes []byte
	done  bool
	// failed: reading failed. reason is the abort reason the body was
	// errored with, or nil for a network error (a TypeError).
	failed bool
	reason goja.Value

	net     *netBody // the unread network body, nil once reading started
	reading bool
	waiters []func()
	refs    int // the bodies sharing this data
}

// body is a body as a Request or Response holds it. Until script asks for
// its stream, a body is its data, read whole when consumed, and disturbed
// records that it was; once the stream exists (the body attribute was read,
// or script gave a ReadableStream), the stream is the body and its state is
// the stream's. hasSource tells a body whose bytes are known from the start
// (extracted from a BodyInit other than a stream, whose source can be
// extracted again, as a redirect needs) from a network or stream body.
type body struct {
	data      *bodyData // nil for a stream given by script
	stream    *goja.Object
	ctrl      *streams.ReadableController // of a stream this package made
	hasSource bool
	disturbed bool
}

// newStaticBody returns a body holding b, as extracting a BodyInit does.
func newStaticBody(b []byte) *body {
	return &body{data: &bodyData{bytes: b, done: true, refs: 1}, hasSource: true}
}

// cloneBody implements "clone" a body
// (https://fetch.spec.whatwg.org/#concept-body-clone): a body without a stream
// shares its data with the clone; a stream is teed, this body keeping one branch
// and the clone getting the other.
func (b *binding) cloneBody(bd *body) *body {
	if bd == nil {
		return nil
	}
	if bd.stream == nil {
		bd.data.refs++
		return &body{data: bd.data, hasSource: bd.hasSource}
	}
	v, err := b.sx.tee(bd.stream)
	if err != nil {
		panic(err)
	}
	branches := v.(*goja.Object)
	bd.stream = branches.Get("0").(*goja.Object)
	return &body{data: bd.data, stream: branches.Get("1").(*goja.Object), ctrl: bd.ctrl, hasSource: bd.hasSource}
}

// unusable reports whether a Body whose body is bd is unusable
// (https://fetch.spec.whatwg.org/#body-unusable): its stream is disturbed or
// locked.
func (b *binding) unusable(bd *body) bool {
	if bd == nil {
		return false
	}
	if bd.stream == nil {
		return bd.disturbed
	}
	disturbed, locked, _ := streams.ReadableState(b.r, bd.stream)
	return disturbed || locked
}

// used reports whether bd's stream is disturbed (the bodyUsed getter).
func (b *binding) used(bd *body) bool {
	if bd == nil {
		return false
	}
	if bd.stream == nil {
		return bd.disturbed
	}
	disturbed, _, _ := streams.ReadableState(b.r, bd.stream)
	return disturbed
}

// bodyInit is a converted BodyInit: (ReadableStream or Blob or BufferSource
// or URLSearchParams or USVString). A buffer source is kept by reference and
// its bytes copied when the body is extracted, as the standard does.
type bodyInit struct {
	stream   *goja.Object
	blob     *goja.Object
	buffer   goja.Value
	params   *goja.Object
	str      string
	isString bool
}

// toBodyInit converts v to BodyInit
// (https://fetch.spec.whatwg.org/#bodyinit-unions), a union type
// (https://webidl.spec.whatwg.org/#js-union).
func (b *binding) toBodyInit(v goja.Value) *bodyInit {
	r := b.r
	m := r.MatchUnion(v, b.bodyInitUnion)
	switch m.Kind {
	case webidl.MatchInterface:
		switch m.Interface {
		case "ReadableStream":
			return &bodyInit{stream: v.(*goja.Object)}
		case "Blob":
			return &bodyInit{blob: v.(*goja.Object)}
		}
		return &bodyInit{params: v.(*goja.Object)}
	case webidl.MatchArrayBuffer, webidl.MatchArrayBufferView:
		return &bodyInit{buffer: v}
	default:
		return &bodyInit{str: r.ToUSVString(v), isString: true}
	}
}

// extract implements "extract" a body with type from a BodyInit
// (https://fetch.spec.whatwg.org/#concept-bodyinit-extract). The
// type is "" when it is null.
func (b *binding) extract(init *bodyInit, keepalive bool) (*body, string) {
	r := b.r
	switch {
	case init.stream != nil:
		// A ReadableStream is the body itself; it has no source.
		if keepalive {
			r.ThrowTypeError("A keepalive request cannot have a ReadableStream body.")
		}
		if disturbed, locked, _ := streams.ReadableState(r, init.stream); disturbed || locked {
			r.ThrowTypeError("The ReadableStream is disturbed or locked.")
		}
		return &body{stream: init.stream}, ""
	case init.blob != nil:
		// The Blob's bytes never change: the body shares them.
		data, _ := blob.Bytes(r, init.blob)
		typ, err := b.blobType(init.blob)
		if err != nil {
			panic(err)
		}
		return newStaticBody(data), typ.String()
	case init.buffer != nil:
		return newStaticBody(r.ToBufferSource(init.buffer)), ""
	case init.params != nil:
		// The application/x-www-form-urlencoded serializer is
		// URLSearchParams's stringifier.
		s, err := b.paramsToString(init.params)
		if err != nil {
			panic(err)
		}
		return newStaticBody([]byte(s.String())), "application/x-www-form-urlencoded;charset=UTF-8"
	default:
		return newStaticBody([]byte(init.str)), "text/plain;charset=UTF-8"
	}
}

// whenDone runs f in a task once bd is complete or has failed, starting to
// read a network body not yet read.
func (b *binding) whenDone(bd *bodyData, f func()) {
	if bd.done || bd.failed {
		b.queue(f)
		return
	}
	bd.waiters = append(bd.waiters, f)
	if bd.net != nil && !bd.reading {
		b.startReading(bd)
	}
}

// startReading reads a network body on another goroutine, keeping the loop
// alive until the bytes are back.
func (b *binding) startReading(bd *bodyData) {
	bd.reading = true
	nb := bd.net
	bd.net = nil
	nb.taken.Store(true)
	release := b.hold()
	go func() {
		data, err := nb.readAll()
		task := func() {
			release()
			b.finishReading(bd, data, err)
		}
		if !b.queue(task) {
			release()
		}
	}()
}

// finishReading records the outcome of reading a network body and wakes
// what waits for it, unless the body was errored meanwhile.
func (b *binding) finishReading(bd *bodyData, data []byte, err error) {
	if bd.failed {
		return
	}
	if err != nil {
		bd.failed = true
	} else {
		bd.bytes, bd.done = data, true
	}
	b.wake(bd)
}

func (b *binding) wake(bd *bodyData) {
	waiters := bd.waiters
	bd.waiters = nil
	for _, f := range waiters {
		f()
	}
}

// errorBody errors bd with reason (its stream is errored, "abort a fetch() call",
// https://fetch.spec.whatwg.org/#abort-fetch), unless it is complete already: what
// waits for it fails at once, and a network body not yet read is closed.
func (b *binding) errorBody(bd *body, reason goja.Value) {
	if bd.ctrl != nil {
		bd.ctrl.Error(reason)
	}
	data := bd.data
	if data == nil || data.done || data.failed {
		return
	}
	data.failed, data.reason = true, reason
	if data.net != nil {
		data.net.close()
		data.net = nil
	}
	b.wake(data)
}

// bodyHolder gives the body mixin's members what they need from a Request
// or Response object's slots.
type bodyHolder interface {
	bodyOf() *body
	headerListOf() *headerList
}

// consumeBody implements "consume body"
// (https://fetch.spec.whatwg.org/#concept-body-consume-body): a promise settled
// with convert applied to the bytes of h's body, once they are all read.
func (b *binding) consumeBody(h bodyHolder, convert func(data []byte) (goja.Value, error)) goja.Value {
	r := b.r
	bd := h.bodyOf()
	// Step 1.
	if b.unusable(bd) {
		return b.rejected(r.VM().NewTypeError("Body is unusable: body has already been read"))
	}
	// Steps 2-4.
	p, resolve, reject := r.NewPromise()
	success := func(data []byte) {
		v, err := convert(data)
		if err != nil {
			reject(exceptionValue(err))
			return
		}
		resolve(v)
	}
	// Step 5: no body reads as no bytes.
	if bd == nil {
		success(nil)
		return p
	}
	// Step 6: fully read the body, through its stream if it has one.
	if bd.stream != nil {
		b.readAllBytes(bd.stream, success, reject)
		return p
	}
	bd.disturbed = true
	data := bd.data
	b.whenDone(data, func() {
		if data.failed {
			reject(b.failureReason(data))
			return
		}
		success(data.bytes)
	})
	return p
}

// failureReason is the value a failed body's readers are rejected with.
func (b *binding) failureReason(data *bodyData) goja.Value {
	if data.reason != nil {
		return data.reason
	}
	return b.r.VM().NewTypeError("Failed to read the body: network error")
}

// exceptionValue returns the JavaScript value of an exception err.
func exceptionValue(err error) goja.Value {
	if exc, ok := err.(*goja.Exception); ok {
		return exc.Value()
	}
	panic(err)
}

// rejected returns a promise rejected with v.
func (b *binding) rejected(v goja.Value) goja.Value {
	p, _, reject := b.r.NewPromise()
	reject(v)
	return p
}

// bodyMembers returns the attributes and operations of the Body interface mixin
// (https://fetch.spec.whatwg.org/#body-mixin) for an interface whose slots
// implement bodyHolder. formData() is left out: there is no FormData interface.
func (b *binding) bodyMembers() ([]webidl.Attribute, []webidl.Operation) {
	r := b.r
	vm := r.VM()
	get := func(c webidl.Call) bodyHolder { return c.Impl.(bodyHolder) }
	attrs := []webidl.Attribute{
		{Name: "body", Get: func(c webidl.Call) goja.Value { return b.bodyStream(get(c).bodyOf()) }},
		{Name: "bodyUsed", Get: func(c webidl.Call) goja.Value { return vm.ToValue(b.used(get(c).bodyOf())) }},
	}
	ops := []webidl.Operation{
		{Name: "arrayBuffer", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			return b.consumeBody(get(c), func(data []byte) (goja.Value, error) {
				return r.NewArrayBuffer(append([]byte(nil), data...)), nil
			})
		}},
		{Name: "blob", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			h := get(c)
			return b.consumeBody(h, func(data []byte) (goja.Value, error) {
				// The type is the result of "get the MIME type",
				// serialized, or "" when it is failure.
				typ := ""
				if mt, ok := extractMIMEType(h.headerListOf()); ok {
					typ = mt.serialize()
				}
				return blob.New(r, data, typ), nil
			})
		}},
		{Name: "bytes", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			return b.consumeBody(get(c), func(data []byte) (goja.Value, error) {
				return vm.New(b.uint8Array, r.NewArrayBuffer(append([]byte(nil), data...)))
			})
		}},
		{Name: "json", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			// "parse JSON from bytes": UTF-8 decode, then JSON.parse.
			return b.consumeBody(get(c), func(data []byte) (goja.Value, error) {
				return b.jsonParse(goja.Undefined(), vm.ToValue(encoding.UTF8Decode(data)))
			})
		}},
		{Name: "text", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			return b.consumeBody(get(c), func(data []byte) (goja.Value, error) {
				return vm.ToValue(encoding.UTF8Decode(data)), nil
			})
		}},
	}
	return attrs, ops
}

// readAllHint reads r to the end into a buffer of about hint bytes.
func readAllHint(r io.Reader, hint int64) ([]byte, error) {
	const maxPrealloc = 16 << 20
	size := 512
	if hint > 0 && hint < maxPrealloc {
		size = int(hint) + 1 // one more byte, to see EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
