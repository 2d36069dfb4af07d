package messaging_test

import (
	"context"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// newRealm sets up a goja runtime with an event loop and the bindings
// MessagePort needs.
func newRealm() (*goja.Runtime, *webidl.Realm, *eventloop.Loop) {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	_ = bindings.Install(bindings.NewEnv(r, loop), messaging.Binding)
	_ = events.InstallGlobal(r)
	_ = vm.Set("print", func(s string) { fmt.Println(s) })
	return vm, r, loop
}

func Example() {
	vm, _, loop := newRealm()
	defer loop.Close()
	loop.Queue(func() {
		_, err := vm.RunString(`
const {port1, port2} = new MessageChannel();
port2.onmessage = (e) => {
	print("port2 got " + JSON.stringify(e.data));
	port2.postMessage("pong");
};
port1.onmessage = (e) => {
	print("port1 got " + e.data);
	port1.close();
};
port2.onclose = () => print("port2 closed");
port1.postMessage({ping: [1, 2]});
`)
		if err != nil {
			fmt.Println(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// port2 got {"ping":[1,2]}
	// port1 got pong
	// port2 closed
}

// NewPort connects a realm to another one that gets its port later: here the
// second realm's loop runs only after the first one has posted.
func ExampleNewPort() {
	vm1, r1, loop1 := newRealm()
	vm2, r2, loop2 := newRealm()
	defer loop1.Close()
	defer loop2.Close()
	port, far, err := messaging.NewPort(r1)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = vm1.Set("port", port)
	loop1.Queue(func() { _, _ = vm1.RunString(`port.postMessage("sent before the other side existed")`) })
	_ = loop1.Run(context.Background())

	loop2.Queue(func() {
		p, err := far.Port(r2)
		if err != nil {
			fmt.Println(err)
			return
		}
		_ = vm2.Set("port", p)
		_, _ = vm2.RunString(`port.onmessage = (e) => print("received: " + e.data)`)
	})
	_ = loop2.Run(context.Background())
	// Output:
	// received: sent before the other side existed
}
