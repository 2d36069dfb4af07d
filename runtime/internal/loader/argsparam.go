package loader

import (
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// esbuild panics ("index out of range [-1]" while printing) on an async
// generator function whose parameters bind arguments, where it moves the
// parameters into the generator it lowers the function to (when one of
// them has a default that may throw or is a pattern, or the body uses
// arguments): the outer function then has no arguments object for esbuild
// to forward to the generator, since the parameter shadows it. So in the
// text esbuild is given, such a parameter is renamed argumentsStandIn, of
// the same length in UTF-16 code units (so that the source map's columns
// stay right); esbuild then forwards the outer function's arguments, and
// restoreArguments renames the parameter back in the tree of esbuild's
// output, where the body's references to arguments find it again.

// argumentsStandIn stands for a parameter named arguments: "ɑ" is U+0251,
// LATIN SMALL LETTER ALPHA.
const argumentsStandIn = "ɑrguments"

// The syntax gojaReadable changes: the head of a for await statement, the
// start of an async generator method, and yield* and yield with an operand
// on its line (and, harmlessly for what they are used for, the same text in
// a string or comment).
var (
	forAwait       = regexp.MustCompile(`\bfor\s+await\b`)
	asyncStar      = regexp.MustCompile(`\basync\s*\*`)
	yieldStar      = regexp.MustCompile(`\byield\s*\*`)
	yieldOperand   = regexp.MustCompile(`\byield[ \t]*[^\s;)}\],:]`)
	blankLastBytes = func(n int, with string) func(string) string {
		return func(m string) string { return m[:len(m)-n] + with }
	}
)

// gojaReadable returns a copy of text that goja's parser reads where it
// does not read text for its for await statements and async generator
// methods, with the offsets of what stays the same: each for await reads
// as a for of, and an async generator method as an async method (sloppy,
// as a method whose parameters bind arguments is), in which the operand of
// yield is awaited and a bare yield is an identifier.
func gojaReadable(text string) string {
	text = forAwait.ReplaceAllStringFunc(text, blankLastBytes(len("await"), "     "))
	if !asyncStar.MatchString(text) {
		return text
	}
	text = asyncStar.ReplaceAllStringFunc(text, blankLastBytes(1, " "))
	text = yieldStar.ReplaceAllStringFunc(text, func(m string) string {
		return "await" + strings.Repeat(" ", len(m)-len("await"))
	})
	return yieldOperand.ReplaceAllStringFunc(text, func(m string) string {
		return "await" + m[len("yield"):]
	})
}

// hideArgumentsParams returns text, as esbuild is given it, with the
// parameters named arguments of its async functions renamed
// argumentsStandIn (those of async functions that are no generators too,
// which is harmless: esbuild leaves them as they are, and the tree gets the
// name back); text that is no script goja's parser reads (once for await
// and async generator methods are read as gojaReadable says), names the
// stand-in, or binds arguments in a shorthand property pattern (whose
// property name would change) is returned as it is.
func hideArgumentsParams(text string) string {
	if !strings.Contains(text, "arguments") || !strings.Contains(text, "async") || strings.Contains(text, argumentsStandIn) {
		return text
	}
	prg := parseOrNil(text)
	if prg == nil {
		prg = parseOrNil(gojaReadable(text))
	}
	if prg == nil {
		return text
	}
	var at []int
	ok := true
	jsast.Walk(prg, func(v reflect.Value) bool {
		f, isFunc := v.Interface().(*ast.FunctionLiteral)
		if isFunc && f.Async && f.ParameterList != nil {
			for _, b := range f.ParameterList.List {
				ok = argumentsBindings(b.Target, &at) && ok
			}
			ok = argumentsBindings(f.ParameterList.Rest, &at) && ok
		}
		return ok
	})
	if !ok || len(at) == 0 {
		return text
	}
	// A tree may hold a node twice (a var's initializer is in the
	// program's DeclarationList too).
	slices.Sort(at)
	at = slices.Compact(at)
	b := []byte(text)
	var out strings.Builder
	last := 0
	for _, i := range at {
		if i < last || i+len("arguments") > len(b) || text[i:i+len("arguments")] != "arguments" {
			return text // an escaped name
		}
		out.Write(b[last:i])
		out.WriteString(argumentsStandIn)
		last = i + len("arguments")
	}
	out.Write(b[last:])
	return out.String()
}

// argumentsBindings appends the offsets of the identifiers named arguments
// that the binding target t binds; it reports false for one bound by a
// shorthand property.
func argumentsBindings(t ast.Expression, at *[]int) bool {
	switch t := t.(type) {
	case *ast.Identifier:
		if t.Name == "arguments" {
			*at = append(*at, int(t.Idx)-1)
		}
	case *ast.AssignExpression:
		return argumentsBindings(t.Left, at)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			if !argumentsBindings(e, at) {
				return false
			}
		}
		return argumentsBindings(t.Rest, at)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				if p.Name.Name == "arguments" {
					return false
				}
			case *ast.PropertyKeyed:
				if !argumentsBindings(p.Value, at) {
					return false
				}
			}
		}
		return argumentsBindings(t.Rest, at)
	}
	return true
}

// parseOrNil parses text with goja's parser, or returns nil where it fails
// or panics.
func parseOrNil(text string) (prg *ast.Program) {
	defer func() {
		if recover() != nil {
			prg = nil
		}
	}()
	prg, err := parser.ParseFile(nil, "", text, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil
	}
	return prg
}

// restoreArguments renames the identifiers named argumentsStandIn in prg,
// a tree of esbuild's output, back to arguments.
func restoreArguments(prg *ast.Program) {
	if prg.File != nil && !strings.Contains(prg.File.Source(), argumentsStandIn) {
		return
	}
	jsast.Walk(prg, func(v reflect.Value) bool {
		// A name that is not ASCII is held as UTF-16.
		if id, ok := v.Interface().(*ast.Identifier); ok && id.Name.String() == argumentsStandIn {
			id.Name = "arguments"
		}
		return true
	})
}
