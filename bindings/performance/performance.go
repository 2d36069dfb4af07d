package performance

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the Performance interface and the global performance
// attribute. Performance inherits from EventTarget.
var Binding = &bindings.Binding{Name: "performance", Needs: []*bindings.Binding{events.Binding}, Register: Register}

// Register defines the Performance interface and the global performance
// attribute in env.Realm. Performance inherits from EventTarget, so the
// events binding must be installed first.
//
// The time origin is the realm's (webidl.Realm.TimeOrigin), the one
// Event.timeStamp and other DOMHighResTimeStamps of the realm are measured
// from: set it with webidl.Realm.SetTimeOrigin, before or after Register.
// Times are coarsened to 5 microseconds, the resolution High Resolution Time
// allows a cross-origin isolated context ("coarsen time",
// https://w3c.github.io/hr-time/#dfn-coarsen-time): a runtime embedding one
// script has no cross-origin content to isolate from.
func Register(env *bindings.Env) error {
	r := env.Realm
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
				return r.NewDictionary("timeOrigin", timeOrigin())
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
	getter := webidl.NewFunction(vm, "get "+name, 0, func(c goja.FunctionCall) goja.Value {
		checkThis(c.This)
		return value
	})
	setter := webidl.NewFunction(vm, "set "+name, 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			r.ThrowTypeError("Failed to set '%s': 1 argument required, but only 0 present.", name)
		}
		checkThis(c.This)
		// [Replaceable]: CreateDataProperty(O, id, V).
		_ = global.DefineDataProperty(name, c.Arguments[0], goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return goja.Undefined()
	})
	return global.DefineAccessorProperty(name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
