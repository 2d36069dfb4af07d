package eventloop_test

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/eventloop"
)

func Example() {
	vm := goja.New()
	_ = vm.Set("print", func(s string) { fmt.Println(s) })
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()

	// Pending I/O keeps the loop alive; its result arrives as a task from another goroutine.
	release := loop.Hold()
	go func() {
		loop.Queue(func() {
			_, _ = vm.RunString(`print("task from another goroutine")`)
			release()
		})
	}()

	loop.Queue(func() {
		_, _ = loop.RunProgram(goja.MustCompile("main.js", `
			setTimeout(() => print("timer"), 10);
			Promise.resolve().then(() => print("microtask"));
			print("script");
		`, false))
	})
	if err := loop.Run(context.Background()); err != nil {
		fmt.Println("error:", err)
	}
	// Unordered output:
	// script
	// microtask
	// task from another goroutine
	// timer
}

// A goroutine that receives input in bursts posts a task per item and flushes once:
// when the loop is waiting for work, the tasks run on that goroutine, in order, each
// followed by a microtask checkpoint, with no wake-up of the loop goroutine.
func ExampleLoop_Flush() {
	vm := goja.New()
	_ = vm.Set("print", func(s string) { fmt.Println(s) })
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()

	release := loop.Hold() // the input source keeps the loop alive
	done := make(chan error)
	go func() { done <- loop.Run(context.Background()) }()

	loop.Queue(func() {}) // let Run start; the reader below waits for nothing else
	for _, item := range []string{"first", "second"} {
		loop.Post(func() {
			_, _ = vm.RunString(`print("` + item + `"); Promise.resolve().then(() => print("after ` + item + `"))`)
		})
	}
	loop.Flush() // before the reader blocks for more input
	loop.Queue(release)
	if err := <-done; err != nil {
		fmt.Println("error:", err)
	}
	// Output:
	// first
	// after first
	// second
	// after second
}
