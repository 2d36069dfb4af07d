package builtins

import (
	"reflect"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsast"
)

// The source that eval and the Function constructors give goja's parser has
// its awaits rewritten as the loader rewrites a script's
// (runtime/internal/loader, await.go), in text: each await's operand v
// becomes the call __wsjs$eval.promiseResolve((v)) of the eval hooks
// (eval.go), the operation of promiseresolve.go. The doubled parentheses
// keep a comma expression one argument; goja's parser ends some
// expressions before closing parentheses of theirs (an arrow function
// whose body is parenthesized), which the inserted ones then close, and
// the original ones close the call. An operand that is always a primitive
// (jsast.IsPrimitive) is left as it is.

// awaitHook is the method of the eval hooks that rewritten awaits call.
const awaitHook = "promiseResolve"

// mayAwait reports whether text may hold an await expression.
func mayAwait(text string) bool {
	return strings.Contains(text, "await")
}

// awaitCalls returns the insertions that rewrite the awaits of text, or
// none where it holds none or is no script goja parses.
func (d *dynamicCode) awaitCalls(text string) []directeval.Insertion {
	prg := d.parse(text)
	if prg == nil {
		return nil
	}
	return awaitInsertions(text, prg)
}

// awaitInsertions returns the insertions that rewrite the awaits of prg,
// parsed from src, in order of offset: at one offset, what closes an
// operand comes before what opens another.
func awaitInsertions(src string, prg *ast.Program) []directeval.Insertion {
	type insertion struct {
		directeval.Insertion
		close bool
	}
	var ins []insertion
	open := directeval.Hooks + "." + awaitHook + "(("
	jsast.Walk(prg, func(v reflect.Value) bool {
		if a, ok := v.Interface().(*ast.AwaitExpression); ok && a.Argument != nil && !jsast.IsPrimitive(a.Argument) {
			ins = append(ins,
				insertion{directeval.Insertion{At: int(a.Argument.Idx0()) - 1, Text: open}, false},
				insertion{directeval.Insertion{At: jsast.End(src, a.Argument), Text: "))"}, true})
		}
		return true
	})
	slices.SortStableFunc(ins, func(a, b insertion) int {
		if a.At != b.At {
			return a.At - b.At
		}
		switch {
		case a.close == b.close:
			return 0
		case a.close:
			return -1
		}
		return 1
	})
	out := make([]directeval.Insertion, len(ins))
	for i, in := range ins {
		out[i] = in.Insertion
	}
	return out
}
