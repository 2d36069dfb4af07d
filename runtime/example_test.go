package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
)

func Example() {
	rt, err := runtime.New(runtime.Options{Stdout: os.Stdout, Stderr: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer rt.Close()

	// TypeScript runs as is; the run lasts until the timer has fired.
	err = rt.RunScript(context.Background(), "hello.ts", `
		const greet = (who: string): string => "hello, " + who;
		setTimeout(() => console.log(greet("timer")), 10);
		await Promise.resolve();
		console.log(greet("microtask"));
		export {};
	`)
	fmt.Println("error:", err)
	// Output:
	// hello, microtask
	// hello, timer
	// error: <nil>
}

func ExampleRuntime_RunScript_uncaught() {
	rt, _ := runtime.New(runtime.Options{Stderr: os.Stdout})
	defer rt.Close()

	err := rt.RunScript(context.Background(), "fail.js", `
function parse(s) {
  if (!s.startsWith("{")) throw new SyntaxError("not an object: " + s);
}
parse("[");`)
	var uncaught *runtime.Error
	fmt.Println(errors.As(err, &uncaught), uncaught.Message)
	// Output:
	// Uncaught SyntaxError: not an object: [
	//     at parse (fail.js:3:33)
	//     at fail.js:5:6
	// true SyntaxError: not an object: [
}

func ExampleRuntime_Do() {
	rt, _ := runtime.New(runtime.Options{Stdout: os.Stdout})
	defer rt.Close()

	// Add a global implemented in Go before running a script.
	_ = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("double", func(n int) int { return 2 * n })
	})
	_ = rt.RunScript(context.Background(), "do.js", `console.log(double(21))`)
	// Output: 42
}

// CompileClassic compiles a script once for any number of goja runtimes; a
// code-point escape on which goja's own parser panics compiles too.
func ExampleCompileClassic() {
	prg, err := runtime.CompileClassic("https://example.test/emoji.js", `"\u{1F600}\u{10FFFF}".length`)
	if err != nil {
		panic(err)
	}
	v, err := goja.New().RunProgram(prg)
	fmt.Println(v, err)
	// Output: 4 <nil>
}

// Script inside a call that sees no interrupt, here a host function that
// blocks as a built-in computing in Go would, cannot hold the caller past
// its context: the run returns InterruptGrace after the deadline, and the
// runtime is given up on.
func ExampleLimits_interruptGrace() {
	rt, err := runtime.New(runtime.Options{Limits: runtime.Limits{InterruptGrace: 50 * time.Millisecond}})
	if err != nil {
		panic(err)
	}
	defer rt.Close()
	release := make(chan struct{})
	defer close(release)
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("wait", func() { <-release })
	}); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = rt.RunScript(ctx, "wait.js", "wait()")
	fmt.Println(errors.Is(err, context.DeadlineExceeded), errors.Is(err, runtime.ErrUnresponsive))
	fmt.Println(rt.Do(context.Background(), func(*goja.Runtime) error { return nil }) == runtime.ErrUnresponsive)
	// Output:
	// true true
	// true
}
