package webidltest_test

import (
	"fmt"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl/webidltest"
)

func ExampleEval() {
	vm := goja.New()
	if _, err := vm.RunString(webidltest.Describe); err != nil {
		panic(err)
	}
	t := &testing.T{}
	fmt.Println(webidltest.Eval(t, vm, `describe(Math, "PI")`))
	fmt.Println(webidltest.Eval(t, vm, `undefined.x`))
	// Output:
	// value
	// throws TypeError
}
