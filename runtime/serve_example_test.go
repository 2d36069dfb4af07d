package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing/fstest"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

func ExampleCompile() {
	// A plugin and the module it imports, from an fs.FS (embed.FS works too).
	plugins := fstest.MapFS{
		"greet/plugin.ts": {Data: []byte(`
			import { shout } from "./shout.ts";
			export function greet(name: string): string { return shout("hello, " + name); }
		`)},
		"greet/shout.ts": {Data: []byte(`export const shout = (s: string) => s.toUpperCase() + "!";`)},
	}
	script, err := runtime.Compile(runtime.CompileOptions{FS: plugins, Path: "greet/plugin.ts"})
	if err != nil {
		panic(err)
	}
	fmt.Println("compiled", script.Name())

	// Compiled once, the script starts in any number of runtimes.
	for _, who := range []string{"ada", "alan"} {
		rt, _ := runtime.New(runtime.Options{})
		if err := rt.Start(context.Background(), script); err != nil {
			panic(err)
		}
		out, err := rt.Call(context.Background(), "greet", who)
		fmt.Println(out, err)
		rt.Close()
	}
	// Output:
	// compiled greet/plugin.ts
	// HELLO, ADA! <nil>
	// HELLO, ALAN! <nil>
}

func ExampleScript_Name() {
	script, err := runtime.Compile(runtime.CompileOptions{Path: "inline.ts", Source: "export const x: number = 1;"})
	if err != nil {
		panic(err)
	}
	fmt.Println(script.Name())
	// Output: inline.ts
}

func ExampleRuntime_Run() {
	script, err := runtime.Compile(runtime.CompileOptions{Path: "count.js", Source: `
		let n = 0;
		const id = setInterval(() => { if (++n === 3) { clearInterval(id); console.log("ticked", n); } }, 1);
	`})
	if err != nil {
		panic(err)
	}
	// Each run of the compiled script skips bundling and compiling.
	for range 2 {
		rt, _ := runtime.New(runtime.Options{Stdout: os.Stdout})
		err := rt.Run(context.Background(), script)
		fmt.Println("error:", err)
		rt.Close()
	}
	// Output:
	// ticked 3
	// error: <nil>
	// ticked 3
	// error: <nil>
}

func ExampleRuntime_Start() {
	script, err := runtime.Compile(runtime.CompileOptions{Path: "worker.ts", Source: `
		// Top-level await: Start returns once it has settled.
		const config = await Promise.resolve({ prefix: "job" });
		let done = 0;
		export function enqueue(id: number): void {
			setTimeout(() => {
				if (id < 0) throw new RangeError("bad job " + id);
				done++;
			}, 0);
		}
		export const count = () => config.prefix + "s done: " + done;
	`})
	if err != nil {
		panic(err)
	}
	failed := make(chan error, 1)
	rt, _ := runtime.New(runtime.Options{
		Stderr: new(strings.Builder),
		// Errors of background work go here while the runtime serves.
		OnError: func(err error) { failed <- err },
	})
	defer rt.Close()
	if err := rt.Start(context.Background(), script); err != nil {
		panic(err)
	}
	ctx := context.Background()
	rt.Call(ctx, "enqueue", 1)
	rt.Call(ctx, "enqueue", -1)
	fmt.Println(<-failed)
	fmt.Println(rt.Call(ctx, "count"))
	// Output:
	// Uncaught RangeError: bad job -1
	// jobs done: 1 <nil>
}

func ExampleRuntime_Call() {
	script, err := runtime.Compile(runtime.CompileOptions{Path: "handler.ts", Source: `
		export default {
			async fetch(req: { path: string }) {
				if (req.path === "/fail") throw new Error("no route");
				return { status: 200, body: "at " + req.path };
			},
		};
		export function spin(): void { for (;;) {} }
	`})
	if err != nil {
		panic(err)
	}
	rt, _ := runtime.New(runtime.Options{})
	defer rt.Close()
	if err := rt.Start(context.Background(), script); err != nil {
		panic(err)
	}

	// A method of the default export, awaited.
	res, err := rt.Call(context.Background(), "default.fetch", map[string]any{"path": "/home"})
	fmt.Println(res, err)

	// A rejection is an *Error with the stack in the original source.
	_, err = rt.Call(context.Background(), "default.fetch", map[string]any{"path": "/fail"})
	var e *runtime.Error
	if errors.As(err, &e) {
		fmt.Println(e.InPromise, e.Message)
		fmt.Println(strings.TrimSpace(e.Stack))
	}

	// A deadline interrupts script that runs too long.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = rt.Call(ctx, "spin")
	fmt.Println(err)
	// Output:
	// map[body:at /home status:200] <nil>
	// true Error: no route
	// at fetch (handler.ts:4:37)
	// context deadline exceeded
}

func ExampleModule() {
	kv := map[string]string{"greeting": "hello"}
	modules := map[string]runtime.Module{
		"kv": {
			// A Go function, called on the loop goroutine.
			"get": func(key string) string { return kv[key] },
			// An AsyncFunc runs on a goroutine of its own and returns a promise.
			"lookup": runtime.AsyncFunc(func(ctx context.Context, args []any) (any, error) {
				return fmt.Sprintf("looked up %v", args[0]), nil
			}),
		},
	}
	rt, _ := runtime.New(runtime.Options{Stdout: os.Stdout, Modules: modules})
	defer rt.Close()
	err := rt.RunScript(context.Background(), "main.ts", `
		import { get, lookup } from "host:kv";
		console.log(get("greeting"));
		console.log(await lookup("user"));
	`)
	fmt.Println("error:", err)
	// Output:
	// hello
	// looked up user
	// error: <nil>
}
