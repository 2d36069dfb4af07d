package jstest

import "github.com/dop251/goja"

// Outcome runs src in vm and returns its completion value as a string, or
// "<name>: <message>" for what it threw, or "error: <error>" for an error
// that is not a thrown object.
func Outcome(vm *goja.Runtime, src string) string {
	v, err := vm.RunString(src)
	if err != nil {
		if exc, ok := err.(*goja.Exception); ok {
			if o, ok := exc.Value().(*goja.Object); ok {
				return o.Get("name").String() + ": " + o.Get("message").String()
			}
		}
		return "error: " + err.Error()
	}
	return v.String()
}
