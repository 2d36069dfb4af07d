package jstest

import (
	"errors"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// InterruptInside runs expr, a call of an operation given the global
// `input`, whose conversion interrupts the runtime and returns value as a
// string: the interrupt comes inside the operation, as a deadline would in
// its loop over a long input. It checks that the run ends with the
// interrupt within `within` of it (an operation that sees no interrupt
// runs to its end first).
func InterruptInside(t testing.TB, vm *goja.Runtime, expr string, value goja.Value, within time.Duration) {
	t.Helper()
	var at time.Time
	input := vm.NewObject()
	if err := input.Set("toString", func() goja.Value {
		vm.Interrupt("stop")
		at = time.Now()
		return value
	}); err != nil {
		t.Fatal(err)
	}
	if err := vm.Set("input", input); err != nil {
		t.Fatal(err)
	}
	_, err := vm.RunString(expr)
	end := time.Now()
	vm.ClearInterrupt()
	var ie *goja.InterruptedError
	if !errors.As(err, &ie) || ie.Value() != "stop" {
		t.Fatalf("%s: got %v, want the interrupt", expr, err)
	}
	if d := end.Sub(at); d > within {
		t.Errorf("%s: ended %v after the interrupt, more than %v", expr, d, within)
	}
}
