package compression

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/webidl"
)

// binding holds what the interfaces of one realm share.
type binding struct {
	r          *webidl.Realm
	vm         *goja.Runtime
	uint8Array *goja.Object     // the realm's Uint8Array constructor
	budget     *bindings.Budget // charged with the output chunks, or nil
	buffers    viewBuffers      // for isShared
}

// Binding installs the CompressionStream and DecompressionStream interfaces.
var Binding = &bindings.Binding{
	Name:     "compression",
	Needs:    []*bindings.Binding{streams.Binding},
	Register: Register,
}

// Register installs CompressionStream and DecompressionStream on the global
// object of env.Realm, whatever its kind ([Exposed=*]). The streams binding
// must be registered first. Register must run before scripts do, as it
// captures the Uint8Array constructor and the getters of views' buffers.
func Register(env *bindings.Env) error {
	r := env.Realm
	u8, ok := r.Global().Get("Uint8Array").(*goja.Object)
	if !ok {
		return fmt.Errorf("compression: the global object has no Uint8Array")
	}
	b := &binding{r: r, vm: r.VM(), uint8Array: u8, budget: env.Memory(), buffers: captureViewBuffers(r.VM())}
	// https://compression.spec.whatwg.org/#compression-stream and
	// https://compression.spec.whatwg.org/#decompression-stream.
	ifaces := []*webidl.Interface{
		b.streamInterface("CompressionStream", func(f format) coder { return newCompressor(f) }),
		b.streamInterface("DecompressionStream", func(f format) coder { return newDecompressor(f) }),
	}
	for _, d := range ifaces {
		if err := r.DefineInterface(d); err != nil {
			return fmt.Errorf("compression: %w", err)
		}
	}
	return nil
}

// streamInterface describes CompressionStream or DecompressionStream, which
// differ in their coder only. Their constructor steps
// (https://compression.spec.whatwg.org/#dom-compressionstream-compressionstream,
// https://compression.spec.whatwg.org/#dom-decompressionstream-decompressionstream)
// are the same.
func (b *binding) streamInterface(name string, newCoder func(format) coder) *webidl.Interface {
	impl := func(c webidl.Call) *stream { return c.Impl.(*stream) }
	return &webidl.Interface{
		Name:   name,
		Length: 1,
		Constructor: func(c webidl.Call) any {
			// Converting to the CompressionFormat enumeration throws the
			// TypeError of step 1: every value of it is supported.
			f := formatNamed(b.r.ToEnum(c.Arg(0), "CompressionFormat", formatNames...))
			// Steps 2-6.
			return b.newStream(newCoder(f))
		},
		// The GenericTransformStream mixin
		// (https://streams.spec.whatwg.org/#other-specs-ts-wrapping).
		Attributes: []webidl.Attribute{
			// https://streams.spec.whatwg.org/#dom-generictransformstream-readable
			{Name: "readable", Get: func(c webidl.Call) goja.Value { return impl(c).transform.Readable() }},
			// https://streams.spec.whatwg.org/#dom-generictransformstream-writable
			{Name: "writable", Get: func(c webidl.Call) goja.Value { return impl(c).transform.Writable() }},
		},
	}
}
