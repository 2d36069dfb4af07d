package webidl_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// counter holds the internal slots of a Counter.
type counter struct {
	value uint32
}

// This binding declares
//
//	[Exposed=*]
//	interface Counter {
//	  constructor(optional [EnforceRange] unsigned long start = 0);
//	  const unsigned long MAX = 4294967295;
//	  readonly attribute unsigned long value;
//	  unsigned long increment([Clamp] unsigned long by);
//	};
func Example() {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	err := realm.DefineInterface(&webidl.Interface{
		Name:   "Counter",
		Length: 0,
		Constructor: func(c webidl.Call) any {
			start := uint32(0)
			if v := c.Arg(0); !goja.IsUndefined(v) {
				start = realm.ToUnsignedLong(v, webidl.EnforceRange)
			}
			return &counter{value: start}
		},
		Constants: []webidl.Constant{{Name: "MAX", Value: uint32(4294967295)}},
		Attributes: []webidl.Attribute{{
			Name: "value",
			Get:  func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*counter).value) },
		}},
		Operations: []webidl.Operation{{
			Name:   "increment",
			Length: 1,
			Func: func(c webidl.Call) goja.Value {
				c.RequireArgs("Counter.increment", 1)
				ctr := c.Impl.(*counter)
				ctr.value += realm.ToUnsignedLong(c.Arg(0), webidl.Clamp)
				return vm.ToValue(ctr.value)
			},
		}},
	})
	if err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const c = new Counter(40);
		c.increment(2.4);
		let msg;
		try { Counter.prototype.increment.call({}, 1) } catch (e) { msg = e.message }
		[c.value, String(c), Counter.MAX, msg, Object.keys(Counter.prototype).join()].join(" | ")`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: 42 | [object Counter] | 4294967295 | Illegal invocation | MAX,value,increment
}

// Bindings throw DOMExceptions with ThrowDOMException.
func ExampleRealm_ThrowDOMException() {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	vm.Set("fail", func(goja.FunctionCall) goja.Value {
		realm.ThrowDOMException("InvalidStateError", "not open yet")
		return nil
	})
	v, _ := vm.RunString(`try { fail() } catch (e) { [e instanceof DOMException, e.name, e.code, e.message].join() }`)
	fmt.Println(v)
	// Output: true,InvalidStateError,11,not open yet
}
