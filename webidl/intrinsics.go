package webidl

import (
	"fmt"

	"github.com/dop251/goja"
)

// Intrinsics looks up a runtime's built-in objects by their path from the global
// object, for bindings that capture them before script can replace them. A lookup
// that finds nothing of the right kind panics with a message naming the path; the
// binding's Register recovers it into an error.
type Intrinsics struct{ VM *goja.Runtime }

// Value returns the value at path, such as ("Map", "prototype", "forEach").
func (in Intrinsics) Value(path ...string) goja.Value {
	var v goja.Value = in.VM.GlobalObject()
	for _, p := range path {
		o, ok := v.(*goja.Object)
		if !ok {
			panic(fmt.Sprintf("intrinsic %v is missing", path))
		}
		v = o.Get(p)
	}
	return v
}

// Object returns the object at path.
func (in Intrinsics) Object(path ...string) *goja.Object {
	o, ok := in.Value(path...).(*goja.Object)
	if !ok {
		panic(fmt.Sprintf("intrinsic %v is missing", path))
	}
	return o
}

// Func returns the function at path.
func (in Intrinsics) Func(path ...string) goja.Callable {
	f, ok := goja.AssertFunction(in.Value(path...))
	if !ok {
		panic(fmt.Sprintf("intrinsic %v is not a function", path))
	}
	return f
}

// Getter returns the getter of the accessor property name of proto, or nil if it has
// none.
func (in Intrinsics) Getter(proto *goja.Object, name goja.Value) goja.Callable {
	d, err := in.Func("Reflect", "getOwnPropertyDescriptor")(goja.Undefined(), proto, name)
	if err != nil {
		panic(err)
	}
	if do, ok := d.(*goja.Object); ok {
		if f, ok := goja.AssertFunction(do.Get("get")); ok {
			return f
		}
	}
	return nil
}

// ProtoOf evaluates src, an expression making an object, and returns that object's
// prototype; nil if this goja version cannot parse src.
func (in Intrinsics) ProtoOf(src string) *goja.Object {
	v, err := in.VM.RunString(src)
	if err != nil {
		return nil
	}
	return v.(*goja.Object).Prototype()
}
