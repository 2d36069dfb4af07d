package subprocess_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

// The host binary calls subprocess.Main first thing in main (here, the test
// binary's TestMain does); Start then runs the script in a copy of it.
func Example() {
	ctx := context.Background()
	p, err := subprocess.Start(ctx, subprocess.Config{
		Path:   "plugin.ts",
		Source: `export function greet(name: string) { if (!name) throw new TypeError("no name"); return "hello " + name; }`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()

	v, err := p.Call(ctx, "greet", "world")
	fmt.Println(v, err)

	_, err = p.Call(ctx, "greet", "")
	var se *runtime.Error
	if errors.As(err, &se) {
		fmt.Println(se.Message)
	}
	// Output:
	// hello world <nil>
	// TypeError: no name
}
