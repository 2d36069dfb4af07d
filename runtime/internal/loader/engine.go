package loader

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/directeval"
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

// parse is parser.ParseFile that returns an *EngineError instead of panicking.
func parse(name, src string, opts ...parser.Option) (prg *ast.Program, err error) {
	defer func() {
		if p := recover(); p != nil {
			prg, err = nil, &EngineError{Op: "parse", Name: name, Value: p}
		}
	}()
	prg, err = parser.ParseFile(nil, name, src, 0, opts...)
	if err == nil {
		fixArrowSources(src, prg)
	}
	return prg, err
}

// compileAST is goja.CompileAST that returns an *EngineError instead of
// panicking. It first rewrites the direct eval calls of a, for the realm's
// eval (see bindings/directeval), or returns a *directeval.ReservedError.
func compileAST(name string, a *ast.Program, strict bool) (prg *goja.Program, err error) {
	if err := directeval.Rewrite(a); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			prg, err = nil, &EngineError{Op: "compile", Name: name, Value: p}
		}
	}()
	return goja.CompileAST(a, strict)
}
