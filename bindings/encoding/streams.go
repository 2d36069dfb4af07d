package encoding

import (
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/webidl"
)

// A transform holds the TransformStream a TextDecoderStream or
// TextEncoderStream wraps (GenericTransformStream,
// https://streams.spec.whatwg.org/#generictransformstream): its readable and
// writable sides, read once at construction.
type transform struct {
	readable, writable goja.Value
}

// newTransform creates a TransformStream whose transformer runs transform
// on each chunk and flush at the end ("set up" a TransformStream,
// https://streams.spec.whatwg.org/#transformstream-set-up). Each is given
// the controller's enqueue; what they throw errors the stream. The
// transformer object has no prototype, so that the constructor reading its
// members observes nothing.
func (b *binding) newTransform(transform func(chunk goja.Value, enqueue func(goja.Value)), flush func(enqueue func(goja.Value))) transform {
	vm := b.vm
	ctor := b.r.InterfaceObject("TransformStream")
	if ctor == nil {
		// A realm that installs bindings on first use (bindings.Defer) may
		// not have installed the streams binding yet.
		_ = bindings.Require(b.r, streams.Binding)
		ctor = b.r.InterfaceObject("TransformStream")
	}
	if ctor == nil {
		b.r.ThrowTypeError("TransformStream is not available")
	}
	enqueuer := func(controller goja.Value) func(goja.Value) {
		c := controller.(*goja.Object)
		enqueue, _ := goja.AssertFunction(b.r.Prototype("TransformStreamDefaultController").Get("enqueue"))
		return func(chunk goja.Value) {
			if _, err := enqueue(c, chunk); err != nil {
				panic(err)
			}
		}
	}
	tr := vm.CreateObject(nil)
	_ = tr.Set("transform", func(call goja.FunctionCall) goja.Value {
		transform(call.Argument(0), enqueuer(call.Argument(1)))
		return goja.Undefined()
	})
	_ = tr.Set("flush", func(call goja.FunctionCall) goja.Value {
		flush(enqueuer(call.Argument(0)))
		return goja.Undefined()
	})
	ts, err := vm.New(ctor, tr)
	if err != nil {
		panic(err)
	}
	return transformFrom(ts)
}

// transformFrom reads the two sides of a new TransformStream.
func transformFrom(ts *goja.Object) transform {
	return transform{readable: ts.Get("readable"), writable: ts.Get("writable")}
}

// transformAttributes are the readable and writable attributes of
// GenericTransformStream.
func transformAttributes(get func(c webidl.Call) *transform) []webidl.Attribute {
	return []webidl.Attribute{
		{Name: "readable", Get: func(c webidl.Call) goja.Value { return get(c).readable }},
		{Name: "writable", Get: func(c webidl.Call) goja.Value { return get(c).writable }},
	}
}

// textDecoderStream holds the state of a TextDecoderStream
// (https://encoding.spec.whatwg.org/#interface-textdecoderstream).
type textDecoderStream struct {
	textDecoder
	transform
}

// textDecoderStreamInterface describes TextDecoderStream.
func (b *binding) textDecoderStreamInterface() *webidl.Interface {
	get := func(c webidl.Call) *textDecoderStream { return c.Impl.(*textDecoderStream) }
	attrs := b.textDecoderCommon(func(c webidl.Call) *textDecoder { return &get(c).textDecoder })
	return &webidl.Interface{
		Name: "TextDecoderStream",
		// constructor(optional DOMString label = "utf-8", optional TextDecoderOptions options = {})
		// (https://encoding.spec.whatwg.org/#dom-textdecoderstream).
		Constructor: func(c webidl.Call) any {
			// Steps 1-6.
			s := &textDecoderStream{textDecoder: b.constructTextDecoder(c, "TextDecoderStream")}
			// Steps 7-11.
			s.transform = b.newTransform(
				func(chunk goja.Value, enqueue func(goja.Value)) { b.decodeAndEnqueue(s, chunk, enqueue) },
				func(enqueue func(goja.Value)) { b.flushAndEnqueue(s, enqueue) })
			return s
		},
		Attributes: append(attrs, transformAttributes(func(c webidl.Call) *transform { return &get(c).transform })...),
	}
}

// decodeAndEnqueue runs "decode and enqueue a chunk"
// (https://encoding.spec.whatwg.org/#decode-and-enqueue-a-chunk).
func (b *binding) decodeAndEnqueue(s *textDecoderStream, chunk goja.Value, enqueue func(goja.Value)) {
	r := b.r
	// Step 1: convert chunk to an AllowSharedBufferSource.
	if !r.IsArrayBuffer(chunk) && !r.IsArrayBufferView(chunk) {
		r.ThrowTypeError("Failed to execute 'transform' on 'TextDecoderStream': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.")
	}
	// Steps 2-4.
	s.in = r.AppendBufferSource(s.in[:0], chunk)
	b.enqueueOutput(s, s.in, false, enqueue)
}

// flushAndEnqueue runs "flush and enqueue"
// (https://encoding.spec.whatwg.org/#flush-and-enqueue).
func (b *binding) flushAndEnqueue(s *textDecoderStream, enqueue func(goja.Value)) {
	b.enqueueOutput(s, nil, true, enqueue)
}

// enqueueOutput decodes src (and end-of-queue if flush is set) and
// enqueues the output if it is not empty; an error in fatal mode throws.
func (b *binding) enqueueOutput(s *textDecoderStream, src []byte, flush bool, enqueue func(goja.Value)) {
	out, ok := s.run(src, flush)
	defer s.trim()
	if !ok {
		b.r.ThrowTypeError("Failed to execute 'transform' on 'TextDecoderStream': The encoded data was not valid for encoding %s", s.enc.name)
	}
	if len(out) > 0 {
		enqueue(b.vm.ToValue(string(out)))
	}
}

// textEncoderStream holds the state of a TextEncoderStream
// (https://encoding.spec.whatwg.org/#interface-textencoderstream): its
// leading surrogate, 0 for null.
type textEncoderStream struct {
	transform
	leadingSurrogate uint16
}

// textEncoderStreamInterface describes TextEncoderStream.
func (b *binding) textEncoderStreamInterface() *webidl.Interface {
	get := func(c webidl.Call) *textEncoderStream { return c.Impl.(*textEncoderStream) }
	return &webidl.Interface{
		Name: "TextEncoderStream",
		// https://encoding.spec.whatwg.org/#dom-textencoderstream
		Constructor: func(c webidl.Call) any {
			s := &textEncoderStream{}
			s.transform = b.newTransform(
				func(chunk goja.Value, enqueue func(goja.Value)) { b.encodeAndEnqueue(s, chunk, enqueue) },
				func(enqueue func(goja.Value)) {
					// Encode and flush
					// (https://encoding.spec.whatwg.org/#encode-and-flush).
					if s.leadingSurrogate != 0 {
						enqueue(b.newUint8Array([]byte(replacementChar)))
					}
				})
			return s
		},
		Attributes: append([]webidl.Attribute{
			{Name: "encoding", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue("utf-8") }},
		}, transformAttributes(func(c webidl.Call) *transform { return &get(c).transform })...),
	}
}

// encodeAndEnqueue runs "encode and enqueue a chunk"
// (https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk): the code
// units of the string are UTF-8 encoded, a leading surrogate at the end of
// one chunk pairing with a trailing one at the start of the next.
func (b *binding) encodeAndEnqueue(s *textEncoderStream, chunk goja.Value, enqueue func(goja.Value)) {
	// Steps 1-2.
	input := b.r.ToDOMString(chunk)
	// Steps 3-4.
	var out []byte
	for i, n := 0, input.Length(); i < n; i++ {
		cu := input.CharAt(i)
		// Convert code unit to scalar value
		// (https://encoding.spec.whatwg.org/#convert-code-unit-to-scalar-value).
		if lead := s.leadingSurrogate; lead != 0 {
			s.leadingSurrogate = 0
			if cu >= 0xDC00 && cu <= 0xDFFF {
				out = utf8.AppendRune(out, 0x10000+(rune(lead)-0xD800)<<10+(rune(cu)-0xDC00))
				continue
			}
			// The code unit is restored and processed afresh.
			out = append(out, replacementChar...)
		}
		switch {
		case cu >= 0xD800 && cu <= 0xDBFF:
			s.leadingSurrogate = cu
		case cu >= 0xDC00 && cu <= 0xDFFF:
			out = append(out, replacementChar...)
		default:
			out = utf8.AppendRune(out, rune(cu))
		}
	}
	if len(out) > 0 {
		enqueue(b.newUint8Array(out))
	}
}
