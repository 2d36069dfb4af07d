package performance

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// Register defines the Performance interface and the global performance
// attribute on r's runtime. Performance inherits from EventTarget, so
// events.Register must have run on r first.
//
// The time origin is r's (webidl.Realm.TimeOrigin), the one Event.timeStamp and
// other DOMHighResTimeStamps of the realm are measured from: set it with
// webidl.Realm.SetTimeOrigin, before or after Register. Times are coarsened to
// 5 microseconds, the resolution High Resolution Time allows a cross-origin
// isolated context ("coarsen time",
// https://w3c.github.io/hr-time/#dfn-coarsen-time): a runtime embedding one
// script has no cross-origin content to isolate from.
func Register(r *webidl.Realm) error {
	vm := r.VM()
	timeOrigin := func() float64 {
		// "get time origin timestamp"
		// (https://w3c.github.io/hr-time/#get-time-origin-timestamp): the
		// duration from the Unix epoch to the time origin, in milliseconds.
		return float64(r.TimeOrigin().UnixMicro()) / 1000
	}
	// [Exposed=(Window,Worker)] interface Performance : EventTarget {
	//   DOMHighResTimeStamp now();
	//   readonly attribute DOMHighResTimeStamp timeOrigin;
	//   [Default] object toJSON();
	// };
	if r.InterfaceObject("EventTarget") == nil {
		return errors.New("performance: the realm has no EventTarget interface (call events.Register first)")
	}
	err := r.DefineInterface(&webidl.Interface{
		Name:   "Performance",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{{
			Name: "timeOrigin",
			Get:  func(webidl.Call) goja.Value { return vm.ToValue(timeOrigin()) },
		}},
		Operations: []webidl.Operation{{
			// now() (https://w3c.github.io/hr-time/#now-method): the current
			// high resolution time, relative to the time origin.
			Name: "now",
			Func: func(webidl.Call) goja.Value { return vm.ToValue(r.Now()) },
		}, {
			// The default toJSON steps
			// (https://webidl.spec.whatwg.org/#default-tojson-steps): an object
			// with the value of every attribute of a JSON type, here only
			// timeOrigin.
			Name: "toJSON",
			Func: func(webidl.Call) goja.Value {
				o := vm.NewObject()
				_ = o.Set("timeOrigin", timeOrigin())
				return o
			},
		}},
	})
	if err != nil {
		return fmt.Errorf("performance: %w", err)
	}
	perf := r.New("Performance", &performance{})
	return defineGlobalAttribute(r, "performance", perf)
}

// performance holds the internal slots of a Performance object: those of
// an EventTarget.
type performance struct {
	events.Target
}

// defineGlobalAttribute defines the WindowOrWorkerGlobalScope attribute
// [Replaceable] readonly attribute Performance performance
// (https://w3c.github.io/hr-time/#the-performance-attribute) on the global
// object, which is where a [Global] interface keeps its attributes
// (https://webidl.spec.whatwg.org/#js-attributes): an enumerable, configurable
// accessor whose setter shadows it with a data property.
func defineGlobalAttribute(r *webidl.Realm, name string, value *goja.Object) error {
	vm := r.VM()
	global := r.Global()
	checkThis := func(this goja.Value) {
		if this == nil || goja.IsUndefined(this) || goja.IsNull(this) || this == goja.Value(global) {
			return
		}
		r.ThrowTypeError("Illegal invocation")
	}
	getter := vm.ToValue(func(c goja.FunctionCall) goja.Value {
		checkThis(c.This)
		return value
	}).(*goja.Object)
	setter := vm.ToValue(func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			r.ThrowTypeError("Failed to set '%s': 1 argument required, but only 0 present.", name)
		}
		checkThis(c.This)
		// [Replaceable]: CreateDataProperty(O, id, V).
		_ = global.DefineDataProperty(name, c.Arguments[0], goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return goja.Undefined()
	}).(*goja.Object)
	for _, f := range []struct {
		o      *goja.Object
		name   string
		length int
	}{{getter, "get " + name, 0}, {setter, "set " + name, 1}} {
		if err := f.o.DefineDataProperty("length", vm.ToValue(f.length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
		if err := f.o.DefineDataProperty("name", vm.ToValue(f.name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return global.DefineAccessorProperty(name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
