package builtins

import (
	"reflect"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// Some built-ins of this package are written in JavaScript (js/*.js), so
// Function.prototype.toString would show their code, where the spec wants a
// built-in function's text to match NativeFunction
// (https://tc39.es/ecma262/#sec-function.prototype.tostring, step 2), as
// goja's own built-ins do: "function name() { [native code] }". Every
// function in those scripts is a built-in, so compileBuiltin sets the source
// text of each one, before goja compiles it, to that form, keeping the
// accessor keyword and the name the code gives it.

// compileBuiltin compiles src, one of this package's scripts, in strict
// mode, with every function's source text that of a built-in function. It
// panics if src does not compile, like goja.MustCompile.
func compileBuiltin(name, src string) *goja.Program {
	prg, err := parser.ParseFile(nil, name, src, 0)
	if err != nil {
		panic(err)
	}
	jsast.Walk(prg, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.FunctionLiteral:
			n.Source = nativeSource(n.Source)
		case *ast.ArrowFunctionLiteral:
			n.Source = nativeSource("")
		case *ast.ClassLiteral:
			n.Source = nativeSource(strings.TrimPrefix(n.Source, "class"))
		}
		return true
	})
	p, err := goja.CompileAST(prg, true)
	if err != nil {
		panic(err)
	}
	return p
}

// nativeSource returns the NativeFunction text of a function whose source
// text is src: the part before its parameters says whether it is a getter or
// a setter and gives its name ("get byteLength", "async *values",
// "function from", "[Symbol.split]"); for a class, what follows "class".
func nativeSource(src string) string {
	head, _, _ := strings.Cut(src, "(")
	head, _, _ = strings.Cut(head, "{") // a class: "X extends null {"
	head, _, _ = strings.Cut(head, " extends")
	var words []string
	for _, w := range strings.Fields(head) {
		w = strings.TrimLeft(w, "*")
		switch w {
		case "", "function", "async", "static":
			continue
		}
		words = append(words, w)
	}
	if len(words) > 2 || len(words) == 2 && words[0] != "get" && words[0] != "set" || strings.Contains(head, "=>") {
		words = nil // not a head this function makes: leave the name out
	}
	return "function " + strings.Join(words, " ") + "() { [native code] }"
}
