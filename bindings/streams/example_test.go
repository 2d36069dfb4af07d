package streams_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// setUp creates a runtime with an event loop and the interfaces streams need.
func setUp() (*goja.Runtime, *eventloop.Loop, *webidl.Realm) {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	if err := bindings.Install(bindings.NewEnv(r, loop), streams.Binding); err != nil {
		panic(err)
	}
	vm.Set("print", fmt.Println)
	return vm, loop, r
}

// Script uses the interfaces directly.
func Example() {
	vm, loop, _ := setUp()
	defer loop.Close()
	loop.Queue(func() {
		_, err := vm.RunString(`
			const words = ReadableStream.from(["streams", "in", "goja"]);
			const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()) } });
			const out = [];
			words.pipeThrough(upper).pipeTo(new WritableStream({ write(chunk) { out.push(chunk) } }))
				.then(() => print(out.join(" ")));
		`)
		if err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// STREAMS IN GOJA
}

// A binding creates a ReadableStream fed by Go code and a WritableStream that hands
// chunks to Go code.
func ExampleNewReadableStream() {
	vm, loop, r := setUp()
	defer loop.Close()
	lines := []string{"first", "second", "third"}
	readable, _, err := streams.NewReadableStream(r, streams.Source{
		// Pull runs on the loop whenever the stream wants a chunk.
		Pull: func(c *streams.ReadableController) goja.Value {
			if len(lines) == 0 {
				c.Close()
				return nil
			}
			if err := c.Enqueue(vm.ToValue(lines[0])); err != nil {
				panic(err)
			}
			lines = lines[1:]
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	var got []string
	writable, _, err := streams.NewWritableStream(r, streams.Sink{
		Write: func(c *streams.WritableController, chunk goja.Value) goja.Value {
			got = append(got, chunk.String())
			return nil
		},
		Close: func(c *streams.WritableController) goja.Value {
			fmt.Println("sink closed:", strings.Join(got, ","))
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	vm.Set("readable", readable)
	vm.Set("writable", writable)
	loop.Queue(func() {
		if _, err := vm.RunString(`readable.pipeTo(writable).then(() => print("piped"))`); err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// sink closed: first,second,third
	// piped
}
