package events

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// fooInit and fooSlots are the dictionary and slots of FooEvent, an
// interface inheriting from Event that a test defines as another package
// would.
type fooInit struct {
	EventInit
	n int32
}

type fooSlots struct{ n int32 }

var fooInitDict = &webidl.Dictionary[fooInit]{
	Name:   "FooEventInit",
	Parent: EventInitDictionary(func(x *fooInit) *EventInit { return &x.EventInit }),
	Members: []webidl.DictionaryMember[fooInit]{
		{Name: "n", Convert: func(r *webidl.Realm, v goja.Value, out *fooInit) { out.n = r.ToLong(v, 0) }},
	},
}

func TestEventOfAnotherPackage(t *testing.T) {
	e := newEnv(t)
	err := e.realm.DefineInterface(&webidl.Interface{
		Name: "FooEvent", Parent: "Event", Length: 1,
		Constructor: func(c webidl.Call) any {
			c.RequireArgs("FooEvent", 1)
			typ := c.Realm.ToDOMString(c.Args[0])
			var init fooInit
			webidl.ToDictionary(c.Realm, c.Arg(1), fooInitDict, &init)
			impl, err := ConstructEvent(c.Realm, typ, init.EventInit, &fooSlots{n: init.n})
			if err != nil {
				t.Fatal(err)
			}
			return impl
		},
		Attributes: []webidl.Attribute{{Name: "n", Get: func(c webidl.Call) goja.Value {
			return c.VM().ToValue(Slots(c.Impl).(*fooSlots).n)
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("fire", func(typ string) *goja.Object {
		ev, err := NewEventOf(e.realm, "FooEvent", typ, EventInit{Cancelable: true}, &fooSlots{n: 42})
		if err != nil {
			t.Fatal(err)
		}
		return ev
	})
	for _, c := range []struct{ expr, want string }{
		{`(() => { const o = []; const init = {}; for (const k of ["n", "composed", "bubbles", "cancelable"]) Object.defineProperty(init, k, { get() { o.push(k); return 3 } }); new FooEvent("x", init); return o.join() })()`, "bubbles,cancelable,composed,n"},
		{`(() => { const f = new FooEvent("x", { bubbles: true, n: 7 }); return [f.type, f.bubbles, f.cancelable, f.isTrusted, f.n, f instanceof Event, typeof f.timeStamp].join() })()`, "x,true,false,false,7,true,number"},
		{`(() => { const f = fire("y"); return [f.type, f.cancelable, f.isTrusted, f.n, Object.getPrototypeOf(f) === FooEvent.prototype].join() })()`, "y,true,true,42,true"},
		{`(() => { try { Object.getOwnPropertyDescriptor(FooEvent.prototype, "n").get.call(new Event("x")); return "none" } catch (e) { return e.name } })()`, "TypeError"},
		{`(() => { let n; globalThis.addEventListener("z", (e) => { n = e.n }); dispatchEvent(new FooEvent("z", { n: 5 })); return n })()`, "5"},
	} {
		v, err := e.vm.RunString(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := v.String(); got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
	}
	if Slots(&event{}) != nil {
		t.Error("Slots of an Event's slots is not nil")
	}
}
