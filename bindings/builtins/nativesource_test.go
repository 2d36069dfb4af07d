package builtins

import (
	"regexp"
	"testing"
)

// nativeCode is the NativeFunction form goja gives its own built-ins.
var nativeCode = regexp.MustCompile(`^function (get |set )?[\w$\[\].]*\(\) \{ \[native code\] \}$`)

func TestNativeSource(t *testing.T) {
	tests := []struct{ src, want string }{
		{"function from(source) { return 1 }", "function from() { [native code] }"},
		{"get byteLength() {\n\treturn 1;\n}", "function get byteLength() { [native code] }"},
		{"set lastIndex(v) {}", "function set lastIndex() { [native code] }"},
		{"async *values() {}", "function values() { [native code] }"},
		{"[Symbol.split](s, limit) {}", "function [Symbol.split]() { [native code] }"},
		{"function (a, b) {}", "function () { [native code] }"},
		{" X extends null {\n}", "function X() { [native code] }"},
		{"", "function () { [native code] }"},
	}
	for _, tt := range tests {
		if got := nativeSource(tt.src); got != tt.want {
			t.Errorf("nativeSource(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestBuiltinsShowNativeCode checks that the built-ins written in
// JavaScript show as native code, as goja's own do.
func TestBuiltinsShowNativeCode(t *testing.T) {
	vm := newVM(t, Options{ArrayBufferBytes: 1 << 30})
	for _, expr := range []string{
		"ArrayBuffer", "ArrayBuffer.isView", "Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get",
		"ArrayBuffer.prototype.resize", "SharedArrayBuffer", "Atomics.add", "RegExp", "RegExp.prototype[Symbol.split]",
		"RegExp.prototype.compile", "Float16Array", "Float16Array.from",
	} {
		v, err := vm.RunString("Function.prototype.toString.call(" + expr + ")")
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if s := v.String(); !nativeCode.MatchString(s) {
			t.Errorf("%s.toString() = %q", expr, s)
		}
	}
}
