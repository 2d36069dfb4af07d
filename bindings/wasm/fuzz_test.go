package wasm

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// FuzzModule checks that new WebAssembly.Module(bytes), and listing what
// the module imports and exports, throw at worst a JavaScript exception.
func FuzzModule(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f\x03\x02\x01\x00\x07\x07\x01\x03add\x00\x00\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6a\x0b"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x02\x0b\x01\x03env\x01m\x02\x03\x00\x01"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x00\x05\x04name"))
	vm, _ := jstest.NewRealm(f, Binding)
	check, err := vm.RunString(`(function (bytes) {
		try {
			const m = new WebAssembly.Module(bytes);
			WebAssembly.Module.imports(m);
			WebAssembly.Module.exports(m);
			WebAssembly.Module.customSections(m, "name");
		} catch (e) {
			if (!(e instanceof WebAssembly.CompileError)) throw e;
		}
	})`)
	if err != nil {
		f.Fatal(err)
	}
	fn, _ := goja.AssertFunction(check)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := fn(goja.Undefined(), vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), data...)))); err != nil {
			t.Fatalf("%x: %v", data, err)
		}
	})
}

// TestLazyEngine checks that installing the namespace makes no wazero
// runtime: the first module compiled does.
func TestLazyEngine(t *testing.T) {
	vm, r := jstest.NewRealm(t, Binding)
	s := stateOf(r)
	if s.rt != nil {
		t.Fatal("a wazero runtime was made before any module")
	}
	if _, err := vm.RunString(`WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))`); err != nil {
		t.Fatal(err)
	}
	if s.rt == nil {
		t.Fatal("no wazero runtime after a compile")
	}
}
