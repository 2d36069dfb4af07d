package webidltest

import (
	"testing"

	"github.com/dop251/goja"
)

func TestHelpers(t *testing.T) {
	vm := goja.New()
	if _, err := vm.RunString(Describe + Settled); err != nil {
		t.Fatal(err)
	}
	Assert(t, vm, `describe(Math, "PI") === "value" && describe({get x() { return 1 }}, "x") === "get,enumerable,configurable" && describe({}, "y") === "none"`)
	if got := Eval(t, vm, `null.x`); got != "throws TypeError" {
		t.Errorf("Eval of a throw: %q", got)
	}
	if got := Eval(t, vm, `settled(Promise.resolve(new Uint8Array([1, 2]))); 0`); got != "0" {
		t.Errorf("Eval: %q", got)
	}
	if got := Eval(t, vm, `result`); got != "fulfilled:Uint8Array 1,2" {
		t.Errorf("settled: %q", got)
	}
}
