package compression

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// viewBuffers holds the intrinsic getters of the buffer of a typed array
// (%TypedArray%.prototype.buffer) and of a DataView, or nil where missing.
type viewBuffers struct {
	typedArray, dataView goja.Callable
}

func captureViewBuffers(vm *goja.Runtime) viewBuffers {
	in := webidl.Intrinsics{VM: vm}
	name := vm.ToValue("buffer")
	var vb viewBuffers
	if p := in.ProtoOf("Uint8Array.prototype"); p != nil {
		vb.typedArray = in.Getter(p, name)
	}
	if p := in.Object("DataView", "prototype"); p != nil {
		vb.dataView = in.Getter(p, name)
	}
	return vb
}

// isShared reports whether v is a SharedArrayBuffer or a view of one: the IDL
// type BufferSource, unlike [AllowShared] BufferSource, takes neither
// (https://webidl.spec.whatwg.org/#js-buffer-source-types).
func (b *binding) isShared(v goja.Value) bool {
	if _, ok := builtins.SharedMemoryOf(v); ok {
		return true
	}
	if !b.r.IsArrayBufferView(v) {
		return false
	}
	for _, get := range []goja.Callable{b.buffers.typedArray, b.buffers.dataView} {
		if get == nil {
			continue
		}
		if buf, err := get(v); err == nil {
			_, ok := builtins.SharedMemoryOf(buf)
			return ok
		}
	}
	return false
}
