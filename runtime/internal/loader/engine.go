package loader

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/bigintguard"
	"github.com/wsjs/wsjs/bindings/blockfunc"
	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsast"
)

// goja's parser and compiler panic on some input instead of returning an
// error: a string literal with a code-point escape beyond the Basic
// Multilingual Plane ('\u{10FFFF}', "unexpected unicode length while
// parsing"), for instance. Every call into them goes through parse and
// compileAST, which turn such a panic into an *EngineError. Load then lets
// esbuild re-print the script (it lowers code-point escapes to surrogate
// pairs: "unicode-escapes" is in gojaUnsupported) before goja sees it.

// An EngineError is a panic of goja's parser or compiler, turned into an error.
type EngineError struct {
	Op    string // "parse" or "compile"
	Name  string // the script's name
	Value any    // what goja panicked with
}

func (e *EngineError) Error() string {
	return fmt.Sprintf("%s: goja %s failed: %v", e.Name, e.Op, e.Value)
}

// parse is parser.ParseFile that returns an *EngineError instead of
// panicking. Source with BigInt operators to guard is rewritten and parsed
// again: bigintguard's edits are text, which eval's and the Function
// constructors' source takes too. It also scans the tree (scan.go) and
// corrects the arrows' Source (arrowsource.go).
func parse(name, src string, opts ...parser.Option) (prg *ast.Program, s *treeScan, err error) {
	defer func() {
		if p := recover(); p != nil {
			prg, s, err = nil, nil, &EngineError{Op: "parse", Name: name, Value: p}
		}
	}()
	prg, err = parser.ParseFile(nil, name, src, 0, opts...)
	if err != nil {
		return nil, nil, err
	}
	if guarded, err := guardBigInts(name, src, prg); err != nil {
		return nil, nil, err
	} else if guarded != "" {
		src = guarded
		if prg, err = parser.ParseFile(nil, name, src, 0, opts...); err != nil {
			return nil, nil, err
		}
	}
	s = scanTree(src, prg)
	fixArrowSources(src, s)
	return prg, s, nil
}

// guardBigInts returns src with the BigInt operators goja computes without
// a bound guarded (bindings/bigintguard), or "" where it has none.
// A tree the guard cannot match to the text (a line comment between an
// operand's parentheses) is an *EngineError, which has esbuild re-print the
// script.
func guardBigInts(name, src string, prg *ast.Program) (string, error) {
	if !bigintguard.Might(src) {
		return "", nil
	}
	ins, err := bigintguard.Edits(src, prg)
	if err != nil {
		return "", &EngineError{Op: "parse", Name: name, Value: err}
	}
	if len(ins) == 0 {
		return "", nil
	}
	return directeval.Apply(src, 0, ins), nil
}

// compileAST is goja.CompileAST that returns an *EngineError instead of
// panicking. The parameters hidden from esbuild get their name back
// (argsparam.go), async generators are lowered (asyncgen.go) and awaits
// rewritten (await.go); the code then gets the semantics Annex B gives
// declarations in blocks, which goja lacks (bindings/blockfunc), then its
// direct eval calls are rewritten for the realm's eval (see
// bindings/directeval), or a *directeval.ReservedError is returned. Last,
// the literals that would have goja fold a chain of logical operators in
// exponential time are hidden from its folding (jsast.FoldedLeaves).
//
// The order matters: blockfunc passes the source of each direct eval call
// through its hook, which adds direct eval calls of its own to the code;
// directeval's rewrite, outside it, prepares the source last, so that
// those calls are direct too.
func compileAST(name string, a *ast.Program, strict bool) (prg *goja.Program, err error) {
	defer func() {
		if p := recover(); p != nil {
			prg, err = nil, &EngineError{Op: "compile", Name: name, Value: p}
		}
	}()
	restoreArguments(a)
	lowerAsyncGenerators(a)
	rewriteAwaits(a)
	blockfunc.Rewrite(a, strict)
	if err := directeval.Rewrite(a); err != nil {
		return nil, err
	}
	for _, f := range jsast.FoldedLeaves(a) {
		*f = jsast.HideFromFolding(*f)
	}
	return goja.CompileAST(a, strict)
}
