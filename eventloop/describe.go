package eventloop

import (
	"reflect"

	"github.com/dop251/goja"
)

// TryScript runs f, Go code that may run script (a getter, a Proxy trap, a
// toString of a value script threw), and reports whether f returned normally.
// Whatever script throws is dropped, and so is goja's uncatchable unwinding
// through f (an interrupt, which stays pending for the script that runs next,
// or the call stack limit): code that reports an exception must not fail for
// the exception's sake. Call it on the loop goroutine only; a Go panic of
// any other kind goes on.
func TryScript(vm *goja.Runtime, f func()) (ok bool) {
	defer func() {
		if !ok {
			switch p := recover().(type) {
			case nil, *goja.InterruptedError, *goja.StackOverflowError:
			default:
				panic(p)
			}
		}
	}()
	return vm.Try(f) == nil
}

// SafeString returns String(v), or if that throws, PlainString(v).
func SafeString(vm *goja.Runtime, v goja.Value) (s string) {
	if v == nil {
		return "undefined"
	}
	if !TryScript(vm, func() { s = v.String() }) {
		return PlainString(v)
	}
	return s
}

// PlainString describes v without running script: a primitive as String(v),
// an object by its class as V8 does where it may not call into script, such
// as "#<Object>" or "#<Error>".
func PlainString(v goja.Value) string {
	switch o := v.(type) {
	case nil:
		return "undefined"
	case *goja.Object:
		if o.ExportType() == proxyType {
			// The class of a Proxy is its target's; a revoked one has none.
			return "#<Object>"
		}
		return "#<" + o.ClassName() + ">"
	}
	return v.String()
}

var proxyType = reflect.TypeOf(goja.Proxy{})

// unwrapScriptError finds in err's chain the exception script threw or goja's
// uncatchable errors, without calling the Unwrap method of a *goja.Exception:
// that one runs script (instanceof on the thrown value), as errors.As would.
func unwrapScriptError(err error) (exc *goja.Exception, interrupted *goja.InterruptedError, overflow *goja.StackOverflowError) {
	for err != nil {
		switch e := err.(type) {
		case *goja.Exception:
			return e, nil, nil
		case *goja.InterruptedError:
			return nil, e, nil
		case *goja.StackOverflowError:
			return nil, nil, e
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return nil, nil, nil
		}
		err = u.Unwrap()
	}
	return nil, nil, nil
}
