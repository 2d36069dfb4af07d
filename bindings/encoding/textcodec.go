package encoding

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// maxKeptBuffer is the largest scratch buffer a TextDecoder keeps between
// calls; larger ones are dropped so that one big input does not pin memory.
const maxKeptBuffer = 64 << 10

// binding holds what the interfaces of one realm share.
type binding struct {
	r  *webidl.Realm
	vm *goja.Runtime
	// Intrinsics captured at registration.
	uint8Array      *goja.Object
	typedArrayName  goja.Callable // %TypedArray%.prototype[@@toStringTag] getter
	typedArrayBytes goja.Callable // %TypedArray%.prototype.byteLength getter
	// budget is the memory budget of the realm's cluster, which encode()'s
	// bytes are charged to, or nil.
	budget *bindings.Budget
}

// Binding installs the TextEncoder and TextDecoder interfaces.
var Binding = &bindings.Binding{Name: "encoding", Register: Register}

// Register installs the TextEncoder and TextDecoder interfaces on the
// global object of env.Realm. It captures the Uint8Array constructor as goja
// makes it (webidl.Intrinsics). The bytes encode() returns are charged to the
// memory budget of env's Cluster (bindings.Budget): beyond it, encode()
// throws V8's RangeError "Array buffer allocation failed".
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	b := &binding{r: r, vm: vm, budget: env.Memory()}
	in := webidl.Intrinsics{VM: vm}
	u8, ok := in.Value("Uint8Array").(*goja.Object)
	if !ok {
		return fmt.Errorf("encoding: the global object has no Uint8Array")
	}
	b.uint8Array = u8
	b.typedArrayName, _ = goja.AssertFunction(in.Value("Uint8Array", "prototype", "[[Prototype]]", "get @@toStringTag"))
	b.typedArrayBytes, _ = goja.AssertFunction(in.Value("Uint8Array", "prototype", "[[Prototype]]", "get byteLength"))
	if b.typedArrayName == nil || b.typedArrayBytes == nil {
		return fmt.Errorf("encoding: %%TypedArray%%.prototype lacks its accessors")
	}
	if err := r.DefineInterface(b.textEncoderInterface()); err != nil {
		return err
	}
	if err := r.DefineInterface(b.textDecoderInterface()); err != nil {
		return err
	}
	if err := r.DefineInterface(b.textEncoderStreamInterface()); err != nil {
		return err
	}
	return r.DefineInterface(b.textDecoderStreamInterface())
}

// newUint8Array returns a new Uint8Array over a new ArrayBuffer holding p
// (not copied).
func (b *binding) newUint8Array(p []byte) *goja.Object {
	o, err := b.vm.New(b.uint8Array, b.vm.ToValue(b.vm.NewArrayBuffer(p)))
	if err != nil {
		panic(err)
	}
	return o
}

// toUint8Array converts v to the IDL type [AllowShared] Uint8Array
// (https://webidl.spec.whatwg.org/#js-buffer-source-types): it must be a
// typed array whose [[TypedArrayName]] is "Uint8Array". It returns the bytes
// the array views, shared with it.
func (b *binding) toUint8Array(v goja.Value) []byte {
	o, ok := v.(*goja.Object)
	if ok {
		name, err := b.typedArrayName(o)
		ok = err == nil && name.String() == "Uint8Array"
	}
	if !ok {
		b.r.ThrowTypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.")
	}
	n, err := b.typedArrayBytes(o)
	if err != nil {
		panic(err)
	}
	length := int(n.ToInteger())
	if length == 0 {
		return nil // empty or detached
	}
	p, _ := o.Export().([]byte)
	if len(p) < length {
		return p
	}
	return p[:length]
}

// textEncoder holds the (empty) state of a TextEncoder.
type textEncoder struct{}

// textEncoderInterface describes TextEncoder
// (https://encoding.spec.whatwg.org/#interface-textencoder).
func (b *binding) textEncoderInterface() *webidl.Interface {
	r := b.r
	return &webidl.Interface{
		Name:        "TextEncoder",
		Constructor: func(c webidl.Call) any { return &textEncoder{} },
		Attributes: []webidl.Attribute{
			// TextEncoderCommon: encoding is always "utf-8".
			{Name: "encoding", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue("utf-8") }},
		},
		Operations: []webidl.Operation{
			{Name: "encode", Length: 0, Func: func(c webidl.Call) goja.Value {
				// encode(optional USVString input = ""): the UTF-8
				// encoding of input, which conversion to USVString
				// has made free of lone surrogates.
				input := ""
				if v := c.Arg(0); !goja.IsUndefined(v) {
					input = r.ToUSVString(v)
				}
				// The bytes are charged to the memory budget, as an
				// ArrayBuffer's: beyond it, V8's RangeError.
				p, ok := bindings.Copy(b.budget, input)
				if !ok {
					panic(r.NewRangeError(bindings.AllocationFailed))
				}
				return b.newUint8Array(p)
			}},
			{Name: "encodeInto", Length: 2, Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("encodeInto", 2)
				source := r.ToUSVString(c.Arg(0))
				dst := b.toUint8Array(c.Arg(1))
				read, written := encodeInto(source, dst)
				// TextEncoderEncodeIntoResult, members in order.
				return r.NewDictionary("read", read, "written", written)
			}},
		},
	}
}

// encodeInto runs the encodeInto(source, destination) method steps
// (https://encoding.spec.whatwg.org/#dom-textencoder-encodeinto): UTF-8
// encode code points of source into dst while they fit whole, counting the
// UTF-16 code units read and the bytes written.
func encodeInto(source string, dst []byte) (read, written int) {
	for _, cp := range source {
		n := utf8.RuneLen(cp)
		if len(dst)-written < n {
			break
		}
		utf8.EncodeRune(dst[written:], cp)
		written += n
		if cp > 0xFFFF {
			read += 2
		} else {
			read++
		}
	}
	return read, written
}

// textDecoder holds the state of a TextDecoder
// (https://encoding.spec.whatwg.org/#interface-mixin-textdecodercommon and
// https://encoding.spec.whatwg.org/#interface-textdecoder).
type textDecoder struct {
	enc        *encoding
	dec        decoder
	fatal      bool
	ignoreBOM  bool
	doNotFlush bool
	bomSeen    bool
	in, out    []byte // scratch buffers reused between calls
}

type textDecoderOptions struct{ fatal, ignoreBOM bool }

var textDecoderOptionsDict = &webidl.Dictionary[textDecoderOptions]{
	Name: "TextDecoderOptions",
	Members: []webidl.DictionaryMember[textDecoderOptions]{
		{Name: "fatal", Convert: func(r *webidl.Realm, v goja.Value, o *textDecoderOptions) { o.fatal = webidl.ToBoolean(v) }},
		{Name: "ignoreBOM", Convert: func(r *webidl.Realm, v goja.Value, o *textDecoderOptions) { o.ignoreBOM = webidl.ToBoolean(v) }},
	},
}

type textDecodeOptions struct{ stream bool }

var textDecodeOptionsDict = &webidl.Dictionary[textDecodeOptions]{
	Name: "TextDecodeOptions",
	Members: []webidl.DictionaryMember[textDecodeOptions]{
		{Name: "stream", Convert: func(r *webidl.Realm, v goja.Value, o *textDecodeOptions) { o.stream = webidl.ToBoolean(v) }},
	},
}

// constructTextDecoder runs the constructor steps TextDecoder (steps 1-5) and
// TextDecoderStream (https://encoding.spec.whatwg.org/#dom-textdecoderstream,
// steps 1-6) share, on the arguments (optional DOMString label = "utf-8",
// optional TextDecoderOptions options = {}) of c, a call of the constructor of
// iface: an encoding label that fails or gives replacement is a RangeError.
func (b *binding) constructTextDecoder(c webidl.Call, iface string) textDecoder {
	r := b.r
	label := "utf-8"
	if v := c.Arg(0); !goja.IsUndefined(v) {
		label = r.ToDOMString(v).String()
	}
	var opts textDecoderOptions
	webidl.ToDictionary(r, c.Arg(1), textDecoderOptionsDict, &opts)
	// Steps 1-2.
	enc := getEncoding(label)
	if enc == nil || enc.isReplaced {
		r.ThrowRangeError("Failed to construct '%s': The encoding label provided ('%s') is invalid.", iface, label)
	}
	// The remaining steps: this's encoding, error mode and ignore BOM.
	return textDecoder{enc: enc, dec: enc.newDecoder(), fatal: opts.fatal, ignoreBOM: opts.ignoreBOM}
}

// textDecoderCommon describes the attributes of the TextDecoderCommon mixin
// (https://encoding.spec.whatwg.org/#interface-mixin-textdecodercommon) of the
// textDecoder get returns.
func (b *binding) textDecoderCommon(get func(c webidl.Call) *textDecoder) []webidl.Attribute {
	return []webidl.Attribute{
		{Name: "encoding", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(get(c).enc.name) }},
		{Name: "fatal", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(get(c).fatal) }},
		{Name: "ignoreBOM", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(get(c).ignoreBOM) }},
	}
}

// textDecoderInterface describes TextDecoder
// (https://encoding.spec.whatwg.org/#interface-textdecoder).
func (b *binding) textDecoderInterface() *webidl.Interface {
	get := func(c webidl.Call) *textDecoder { return c.Impl.(*textDecoder) }
	return &webidl.Interface{
		Name:   "TextDecoder",
		Length: 0,
		// constructor(optional DOMString label = "utf-8", optional TextDecoderOptions options = {})
		// (https://encoding.spec.whatwg.org/#dom-textdecoder).
		Constructor: func(c webidl.Call) any {
			// Steps 1-5.
			d := b.constructTextDecoder(c, "TextDecoder")
			return &d
		},
		Attributes: b.textDecoderCommon(get),
		Operations: []webidl.Operation{
			{Name: "decode", Length: 0, Func: func(c webidl.Call) goja.Value {
				return b.decode(get(c), c.Arg(0), c.Arg(1))
			}},
		},
	}
}

// decode runs the decode(input, options) method steps
// (https://encoding.spec.whatwg.org/#dom-textdecoder-decode).
func (b *binding) decode(d *textDecoder, input, options goja.Value) goja.Value {
	r := b.r
	// Argument conversion: optional AllowSharedBufferSource input (kept as
	// a reference until step 3 copies it), then TextDecodeOptions.
	hasInput := !goja.IsUndefined(input)
	if hasInput && !r.IsArrayBuffer(input) && !r.IsArrayBufferView(input) {
		r.ThrowTypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.")
	}
	var opts textDecodeOptions
	webidl.ToDictionary(r, options, textDecodeOptionsDict, &opts)

	// Step 1: unless the previous call streamed, start afresh.
	if !d.doNotFlush {
		d.dec.reset()
		d.bomSeen = false
	}
	// Step 2.
	d.doNotFlush = opts.stream
	// Step 3: push a copy of input.
	var src []byte
	if hasInput {
		d.in = r.AppendBufferSource(d.in[:0], input)
		src = d.in
	}
	// Steps 4-5: process the bytes, then end-of-queue unless streaming;
	// an error in fatal mode throws.
	out, ok := d.run(src, !d.doNotFlush)
	defer d.trim()
	if !ok {
		r.ThrowTypeError("Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid for encoding %s", d.enc.name)
	}
	return b.vm.ToValue(string(out))
}

// run processes src and, if flush is set, end-of-queue with the decoder,
// and serializes the output
// (https://encoding.spec.whatwg.org/#concept-td-serialize): the first code
// point of the stream is dropped if it is a BOM and the encoding uses one.
// ok is false for an error in fatal mode. The output is valid until the next
// call.
func (d *textDecoder) run(src []byte, flush bool) (out []byte, ok bool) {
	out, ok = d.dec.decode(d.out[:0], src, flush, d.fatal)
	d.out = out
	if ok && len(out) > 0 && d.enc.usesBOM() && !d.ignoreBOM && !d.bomSeen {
		d.bomSeen = true
		out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	}
	return out, ok
}

// trim drops scratch buffers that grew large.
func (d *textDecoder) trim() {
	if cap(d.in) > maxKeptBuffer {
		d.in = nil
	}
	if cap(d.out) > maxKeptBuffer {
		d.out = nil
	}
}
