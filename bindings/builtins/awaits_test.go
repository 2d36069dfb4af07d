package builtins

import (
	"strings"
	"testing"

	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/directeval"
)

// TestAwaitInsertions checks the text each await's rewrite makes.
func TestAwaitInsertions(t *testing.T) {
	const r = directeval.Hooks + "." + awaitHook
	for _, c := range []struct{ src, want string }{
		{`async () => await x`, `async () => await R((x))`},
		{`async () => { await (a, b) }`, `async () => { await (R((a, b))) }`},
		{`async () => await await x`, `async () => await R((await R((x))))`},
		{`async () => await (() => (1))`, `async () => await (R((() => (1))))`},
		{"async () => await `a${await b}`", "async () => await `a${await R((b))}`"},
		{`async () => f(await x, await y)`, `async () => f(await R((x)), await R((y)))`},
		{`async () => await o?.m()`, `async () => await R((o?.m()))`},
		{`async function f() { return await -x + 1 }`, `async function f() { return await -x + 1 }`},
		{"async () => [await 1, await `a`, await (a + b), await (a || b)]", "async () => [await 1, await `a`, await (a + b), await (R((a || b)))]"},
		{`var await = 1; await`, `var await = 1; await`},
		{"async () => await /a/g  === b", "async () => await R((/a/g))  === b"},
		{"async () => await /a/gi", "async () => await R((/a/gi))"},
		{"async () => await 진", "async () => await R((진))"},
		{"class C { #x; async m() { await this.#x } }", "class C { #x; async m() { await R((this.#x)) } }"},
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0, parser.WithDisableSourceMaps)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got := strings.ReplaceAll(directeval.Apply(c.src, 0, awaitInsertions(c.src, prg)), r, "R")
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

// TestAwaitConstructor checks that the awaits of eval and Function code
// read a constructor as the spec's Await does: of a promise alone, throwing
// at the await.
func TestAwaitConstructor(t *testing.T) {
	const setup = `var log = [];
		var boom = Promise.resolve(1);
		Object.defineProperty(boom, "constructor", { get() { throw "boom" } });
		var thenable = { get constructor() { log.push("read") }, then(f) { f(2) } };
		var body = 'try { await boom } catch (e) { log.push(e) } log.push(await thenable); return log.join()';
		var out; `
	for _, src := range []string{
		`eval("(async () => {" + body + "})()")`,
		`(0, eval)("(async () => {" + body + "})()")`,
		`new (Object.getPrototypeOf(async function () {}).constructor)(body)()`,
		`Function("return async () => {" + body + "}")()()`,
	} {
		vm := newVM(t, Options{DynamicFunctions: true})
		// goja runs the jobs before RunString returns.
		if _, err := vm.RunString(setup + src + ".then((v) => out = v, (e) => out = 'rejected ' + e)"); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := vm.Get("out").String(); got != "boom,2" {
			t.Errorf("%s: got %q, want %q", src, got, "boom,2")
		}
	}
}
