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
// Times are coarsened ("coarsen time",
// https://w3c.github.io/hr-time/#dfn-coarsen-time) to the realm's
// resolution, webidl.Realm.TimeResolution: 5 microseconds where the realm is
// cross-origin isolated, 100 where it is not.
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	timeOrigin := func() float64 {
		// "get time origin timestamp"
		// (https://w3c.github.io/hr-time/#get-time-origin-timestamp): the
		// duration from the Unix epoch to the time origin, in milliseconds.
		// The time origin is coarsened with the realm's cross-origin
		// isolated capability when it is set
		// (https://html.spec.whatwg.org/multipage/workers.html#set-up-a-worker-environment-settings-object),
		// here when it is read.
		us, res := r.TimeOrigin().UnixMicro(), r.TimeResolution().Microseconds()
		return float64(us-us%res) / 1000
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
	// The WindowOrWorkerGlobalScope attribute [Replaceable] readonly
	// attribute Performance performance
	// (https://w3c.github.io/hr-time/#the-performance-attribute).
	perf := r.New("Performance", &performance{})
	return r.DefineGlobalMembers([]webidl.Attribute{{
		Name: "performance", Replaceable: true, Get: func(webidl.Call) goja.Value { return perf },
	}}, nil)
}

// performance holds the internal slots of a Performance object: those of
// an EventTarget.
type performance struct {
	events.Target
}
