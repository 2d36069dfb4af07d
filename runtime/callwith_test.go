package runtime

import (
	"context"
	"errors"
	"testing"

	"github.com/dop251/goja"
)

func TestCallWith(t *testing.T) {
	rt, _ := startScript(t, CompileOptions{Path: "m.js", Source: `
		export async function pair(a, b) { await null; return new Map([[a, b]]) }
		export function fn() { return () => 1 }`}, Options{})
	ctx := context.Background()
	args := func(vm *goja.Runtime) []goja.Value { return []goja.Value{vm.ToValue("k"), vm.NewObject()} }
	size := func(vm *goja.Runtime, v goja.Value) (any, error) {
		return v.ToObject(vm).Get("size").Export(), nil
	}
	v, err := rt.CallWith(ctx, "pair", Conversion{Args: args, Result: size})
	if err != nil || v != int64(1) {
		t.Errorf("pair = %#v, %v; want 1", v, err)
	}
	// A conversion that throws, or fails.
	throws := func(vm *goja.Runtime, v goja.Value) (any, error) { panic(vm.NewTypeError("no")) }
	var se *Error
	if _, err := rt.CallWith(ctx, "fn", Conversion{Result: throws}); !errors.As(err, &se) || se.Message != "TypeError: no" {
		t.Errorf("a throwing Result: %v", err)
	}
	errNo := errors.New("no")
	fails := func(vm *goja.Runtime, v goja.Value) (any, error) { return nil, errNo }
	if _, err := rt.CallWith(ctx, "fn", Conversion{Result: fails}); err != errNo {
		t.Errorf("a failing Result: %v", err)
	}
	badArgs := func(vm *goja.Runtime) []goja.Value { panic(vm.NewTypeError("bad")) }
	if _, err := rt.CallWith(ctx, "fn", Conversion{Args: badArgs}); !errors.As(err, &se) || se.Message != "TypeError: bad" {
		t.Errorf("throwing Args: %v", err)
	}
	// Without conversions, it is Call.
	if v, err := rt.CallWith(ctx, "pair", Conversion{}); err != nil || len(v.([][2]any)) != 1 {
		t.Errorf("pair() = %#v, %v", v, err)
	}
}
