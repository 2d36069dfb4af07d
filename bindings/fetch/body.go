package fetch

import (
	"io"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/formdata"
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
// or FormData or URLSearchParams or USVString). A buffer source is kept by reference and
// its bytes copied when the body is extracted, as the standard does.
type bodyInit struct {
	stream   *goja.Object
	blob     *goja.Object
	buffer   goja.Value
	form     *goja.Object
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
		case "FormData":
			return &bodyInit{form: v.(*goja.Object)}
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
		return newStaticBody(b.copyBytes(r.BufferSourceBytes(init.buffer))), ""
	case init.form != nil:
		// The multipart/form-data encoding algorithm, with UTF-8; Encode
		// charges the bytes to the memory budget.
		data, typ, _ := formdata.Encode(r, init.form)
		return newStaticBody(data), typ
	case init.params != nil:
		// The application/x-www-form-urlencoded serializer is
		// URLSearchParams's stringifier.
		s, err := b.paramsToString(init.params)
		if err != nil {
			panic(err)
		}
		return newStaticBody(b.copyBytes([]byte(s.String()))), "application/x-www-form-urlencoded;charset=UTF-8"
	default:
		return newStaticBody(b.copyBytes([]byte(init.str))), "text/plain;charset=UTF-8"
	}
}

// copyBytes returns a copy of p charged to the memory budget until
// collected, or throws V8's RangeError if the budget has no room for it.
func (b *binding) copyBytes(p []byte) []byte {
	out, ok := bindings.Copy(b.net.memory, p)
	if !ok {
		panic(b.r.NewRangeError(bindings.AllocationFailed))
	}
	return out
}

// rejection is a conversion's failure: the promise is rejected with reason.
type rejection struct{ reason goja.Value }

func (e *rejection) Error() string { return e.reason.String() }

// newArrayBuffer returns an ArrayBuffer holding a copy of p charged to the
// memory budget, or a rejection with V8's RangeError if it has no room.
func (b *binding) newArrayBuffer(p []byte) (*goja.Object, error) {
	data, ok := bindings.Copy(b.net.memory, p)
	if !ok {
		return nil, &rejection{b.r.NewRangeError(bindings.AllocationFailed)}
	}
	return b.r.NewArrayBuffer(data), nil
}

// decodeText returns p UTF-8 decoded, which the memory budget must have room
// for while it is decoded (the string then joins script's heap), or a
// rejection with V8's RangeError for a string it cannot make.
func (b *binding) decodeText(p []byte) (goja.Value, error) {
	n := int64(len(p))
	if !b.net.memory.Reserve(n) {
		return nil, &rejection{b.r.NewRangeError("Invalid string length")}
	}
	defer b.net.memory.Release(n)
	return b.r.VM().ToValue(encoding.UTF8Decode(p)), nil
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

// exceptionValue returns the JavaScript value of an exception err, or the
// reason of a rejection.
func exceptionValue(err error) goja.Value {
	switch e := err.(type) {
	case *goja.Exception:
		return e.Value()
	case *rejection:
		return e.reason
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
// implement bodyHolder.
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
				return b.newArrayBuffer(data)
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
				ab, err := b.newArrayBuffer(data)
				if err != nil {
					return nil, err
				}
				return vm.New(b.uint8Array, ab)
			})
		}},
		{Name: "formData", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			h := get(c)
			return b.consumeBody(h, func(data []byte) (goja.Value, error) {
				return b.parseFormData(h, data)
			})
		}},
		{Name: "json", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			// "parse JSON from bytes": UTF-8 decode, then JSON.parse.
			return b.consumeBody(get(c), func(data []byte) (goja.Value, error) {
				text, err := b.decodeText(data)
				if err != nil {
					return nil, err
				}
				return b.jsonParse(goja.Undefined(), text)
			})
		}},
		{Name: "text", ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
			return b.consumeBody(get(c), b.decodeText)
		}},
	}
	return attrs, ops
}

// parseFormData implements the steps formData() converts the bytes with
// (https://fetch.spec.whatwg.org/#dom-body-formdata): by the essence of the
// MIME type of h, a multipart/form-data body is parsed with its boundary and
// an application/x-www-form-urlencoded one with the urlencoded parser; a
// body that fails to parse, or of any other type, is a TypeError.
func (b *binding) parseFormData(h bodyHolder, data []byte) (goja.Value, error) {
	r := b.r
	// Step 1.
	mt, ok := extractMIMEType(h.headerListOf())
	var fd *goja.Object
	var reason goja.Value
	// Step 2.
	switch {
	case !ok:
	case mt.essence() == "multipart/form-data":
		boundary, ok := mt.param("boundary")
		if !ok {
			return nil, &rejection{r.VM().NewTypeError("Failed to parse the body as FormData: the multipart/form-data type has no boundary.")}
		}
		fd, reason = formdata.ParseMultipart(r, data, boundary)
	case mt.essence() == "application/x-www-form-urlencoded":
		fd, reason = formdata.ParseURLEncoded(r, data)
	}
	if reason != nil {
		return nil, &rejection{reason}
	}
	if fd == nil {
		// Step 3.
		return nil, &rejection{r.VM().NewTypeError("Failed to parse the body as FormData: its type is neither multipart/form-data nor application/x-www-form-urlencoded.")}
	}
	return fd, nil
}

// readAllWithin reads r to the end into a buffer of about hint bytes,
// charged to memory (see bindings.Buffer): the bytes returned stay charged
// until collected; those of a failed read are given back at once.
func readAllWithin(memory *bindings.Budget, r io.Reader, hint int64) ([]byte, error) {
	const maxPrealloc = 16 << 20
	buf := bindings.Buffer{Budget: memory}
	if hint > 0 && hint < maxPrealloc {
		buf.Grow(int(hint) + 1) // one more byte, to see EOF without growing
	}
	if _, err := buf.ReadFrom(r); err != nil {
		buf.Free()
		return nil, err
	}
	return buf.Bytes(), nil
}
