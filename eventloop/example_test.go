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
