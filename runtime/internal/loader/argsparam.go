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

// The start of an async generator function or method, which text must hold
// for hideArgumentsParams to parse it, and the syntax gojaReadable changes:
// the head of a for await statement, the start of an async generator
// method, and yield* and yield with an operand on its line (and, harmlessly
// for what they are used for, the same text in a string or comment).
var (
	asyncGenerator = regexp.MustCompile(`\basync\s*(?:function\s*)?\*`)
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
// name back); text without async generators, that is no script goja's
// parser reads (once for await and async generator methods are read as
// gojaReadable says), names the stand-in, or binds arguments in a
// shorthand property pattern (whose property name would change) is
// returned as it is.
func hideArgumentsParams(text string) string {
	if !strings.Contains(text, "arguments") || strings.Contains(text, argumentsStandIn) || !asyncGenerator.MatchString(text) {
		return text
	}
	prg := parseOrNil(text)
	if prg == nil {
		prg = parseOrNil(gojaReadable(text))
	}
	if prg == nil || strictList(prg.Body) {
		return text
	}
	at, ok := argumentsParams(prg)
	if !ok || len(at) == 0 {
		return text
	}
	var out strings.Builder
	last := 0
	for _, i := range at {
		if i < last || i+len("arguments") > len(text) || text[i:i+len("arguments")] != "arguments" {
			return text // an escaped name
		}
		out.WriteString(text[last:i])
		out.WriteString(argumentsStandIn)
		last = i + len("arguments")
	}
	out.WriteString(text[last:])
	return out.String()
}

// argumentsParams returns the offsets, in order, of the parameters named
// arguments of the async functions of prg that are not strict code, where
// such a parameter is an early error, which esbuild must see; it reports
// false where a shorthand property binds one.
func argumentsParams(prg *ast.Program) (at []int, ok bool) {
	var strict [][2]int // the functions and classes whose code is strict
	ok = true
	jsast.Walk(prg, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.ClassLiteral:
			strict = append(strict, [2]int{int(n.Idx0()), int(n.Idx1())})
		case *ast.FunctionLiteral:
			if n.Body != nil && strictList(n.Body.List) {
				strict = append(strict, [2]int{int(n.Idx0()), int(n.Idx1())})
			}
			if n.Async && n.ParameterList != nil {
				for _, b := range n.ParameterList.List {
					ok = argumentsBindings(b.Target, &at) && ok
				}
				ok = argumentsBindings(n.ParameterList.Rest, &at) && ok
			}
		}
		return ok
	})
	at = slices.DeleteFunc(at, func(i int) bool {
		return slices.ContainsFunc(strict, func(r [2]int) bool { return i+1 >= r[0] && i+1 < r[1] })
	})
	// A tree may hold a node twice (a var's initializer is in the
	// program's DeclarationList too).
	slices.Sort(at)
	return slices.Compact(at), ok
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

// strictList reports whether the directive prologue of a body holds "use
// strict" (https://tc39.es/ecma262/#sec-directive-prologues-and-the-use-strict-directive).
func strictList(list []ast.Statement) bool {
	for _, s := range list {
		if !jsast.IsDirective(s) {
			return false
		}
		if l := s.(*ast.ExpressionStatement).Expression.(*ast.StringLiteral); l.Literal == `"use strict"` || l.Literal == `'use strict'` {
			return true
		}
	}
	return false
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
