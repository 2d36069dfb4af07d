package events_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// socket holds the internal slots of a Socket: embedding events.Target makes
// it an EventTarget.
type socket struct {
	events.Target
}

// A binding defines an interface inheriting from EventTarget, with event
// handler attributes, and fires trusted events at its objects from Go.
func Example() {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(realm, nil), events.Binding); err != nil {
		panic(err)
	}
	err := realm.DefineInterface(&webidl.Interface{
		Name:        "Socket",
		Parent:      "EventTarget",
		Constructor: func(c webidl.Call) any { return &socket{} },
		Attributes:  []webidl.Attribute{events.HandlerAttribute("onclose")},
	})
	if err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		var s = new Socket();
		s.addEventListener("open", e => console.log("open", e.isTrusted));
		s.onclose = e => { log = [e.type, e.code, e.reason, e.wasClean].join(" ") };
		var log = "";
		s`)
	if err != nil {
		panic(err)
	}
	vm.Set("console", map[string]any{"log": func(args ...any) { fmt.Println(args...) }})
	target := v.(*goja.Object)

	if _, err := events.Fire(realm, target, "open"); err != nil {
		panic(err)
	}
	ev, err := events.NewCloseEvent(realm, "close", events.CloseEventInit{WasClean: true, Code: 1000, Reason: "done"})
	if err != nil {
		panic(err)
	}
	notCanceled, err := events.Dispatch(realm, target, ev)
	if err != nil {
		panic(err)
	}
	fmt.Println(vm.Get("log"), notCanceled)
	// Output:
	// open true
	// close 1000 done true true
}

// The runtime makes the global object an EventTarget and reports uncaught
// exceptions through it: an "error" listener that cancels the event handles
// the exception.
func ExampleReportException() {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(realm, nil), events.Binding); err != nil {
		panic(err)
	}
	if err := events.InstallGlobal(realm); err != nil {
		panic(err)
	}
	vm.RunString(`var seen; onerror = (message, source, lineno) => { seen = message + " at line " + lineno; return true }`)
	_, exc := vm.RunScript("app.js", `throw new TypeError("bad")`)
	handled := events.ReportException(realm, exc)
	fmt.Println(handled, vm.Get("seen"))
	// Output: true Uncaught TypeError: bad at line 1
}
