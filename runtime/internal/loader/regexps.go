package loader

import (
	"errors"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsregexp"
)

// A regular expression literal with an early error
// (https://tc39.es/ecma262/#sec-primary-expression-regular-expression-literals-static-semantics-early-errors)
// makes the script a SyntaxError when it is parsed, whether or not the
// literal is ever evaluated. goja judges the literals it compiles by its own
// engines' rules, and esbuild turns those goja lacks (the d and v flags,
// property escapes: gojaUnsupported) into new RegExp("...", "...") calls,
// which would fail only when they run. So after each parse checkRegExps
// reads every literal with package jsregexp, the RegExp constructor's own
// reading (which keeps what it read for the constructor): the tree's
// literals, and in code esbuild printed the calls it wrote for literals,
// told from calls written as such by where the source map places them, at a
// '/' in a source. The first literal with an early error fails the load
// with the SyntaxError's message, at the literal.

// regexpSites says where the regular expressions of a parsed tree are.
type regexpSites interface {
	// problem returns a Problem placed at idx, where a literal starts.
	problem(idx file.Idx) Problem
	// lowered reports whether n is a literal esbuild lowered.
	lowered(n *ast.NewExpression) bool
}

// checkRegExps returns the error of the first regular expression literal in
// s that has an early error, or nil.
func checkRegExps(s *treeScan, where regexpSites) error {
	first := file.Idx(-1)
	var msg string
	check := func(idx file.Idx, pattern []uint16, flags string) {
		if first >= 0 && idx > first {
			return
		}
		if err := jsregexp.Check(pattern, flags); err != nil {
			first, msg = idx, err.Error()
		}
	}
	for _, l := range s.regexps {
		check(l.Idx, utf16.Encode([]rune(l.Pattern)), l.Flags)
	}
	for _, l := range s.unterminated {
		if first < 0 || l.Idx < first {
			first, msg = l.Idx, jsast.UnterminatedRegExp
		}
	}
	for _, n := range s.regexpCalls {
		if !where.lowered(n) {
			continue
		}
		var flags []uint16
		if len(n.ArgumentList) > 1 {
			flags = stringUnits(n.ArgumentList[1].(*ast.StringLiteral).Value)
		}
		check(n.New, stringUnits(n.ArgumentList[0].(*ast.StringLiteral).Value), string(utf16.Decode(flags)))
	}
	if first < 0 {
		return nil
	}
	p := where.problem(first)
	p.Text = msg
	return &LoadError{Problems: []Problem{p}}
}

// stringUnits returns the code units of a string literal's value.
func stringUnits(s unistring.String) []uint16 {
	if u := s.AsUtf16(); u != nil {
		return u[1:] // after the marker
	}
	u := make([]uint16, len(s))
	for i := range len(s) {
		u[i] = uint16(s[i])
	}
	return u
}

// sourceSites are the regular expressions of a tree parsed from a script's
// own text: its calls are its own.
type sourceSites struct {
	name, src string
}

func (s sourceSites) problem(idx file.Idx) Problem {
	return problemInText(s.name, newLineIndex(s.src), int(idx)-1)
}

func (sourceSites) lowered(*ast.NewExpression) bool { return false }

// mappedSites are those of code esbuild printed, which m maps to the sources.
type mappedSites struct {
	src    Source
	bundle string // the code's name
	m      *codeMap
}

func (s mappedSites) problem(idx file.Idx) Problem {
	if s.m != nil {
		if name, at, ok := s.m.original(int(idx) - 1); ok {
			return problemInText(displaySource(s.src, s.bundle, name), s.m.source(name), at)
		}
		return problemInText(s.src.name, s.m.gen, int(idx)-1)
	}
	return Problem{File: s.src.name}
}

func (s mappedSites) lowered(n *ast.NewExpression) bool {
	if s.m == nil {
		return false
	}
	name, at, ok := s.m.original(int(n.New) - 1)
	if !ok {
		return false
	}
	text := s.m.source(name).text
	return at < len(text) && text[at] == '/'
}

// problemInText returns a Problem in the file named name, whose text x holds, at
// byte offset at: its line, and its column in characters from 1.
func problemInText(name string, x *lineIndex, at int) Problem {
	line, _ := x.position(at)
	start := x.starts[line-1]
	end := len(x.text)
	if line < len(x.starts) {
		end = x.starts[line] - 1
	}
	text := x.text[start:end]
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	return Problem{File: name, Line: line, Column: utf8.RuneCountInString(x.text[start:at]) + 1, LineText: text}
}

// goja compiles a literal with its own engines, and rejects some that the
// RegExp constructor reads (the d and v flags, property escapes, modifiers,
// duplicate named groups), or panics on them. When compiling a checked tree
// fails at a literal, or panics in a tree with literals, compileTree
// replaces each literal goja rejects alone with new RegExp("pattern",
// "flags"), as esbuild writes the literals it lowers, and compiles the tree
// again; functions keep their source text.

// compileTree compiles prg, which s scanned, lowering the literals goja
// cannot compile.
func compileTree(name string, prg *ast.Program, s *treeScan, strict bool) (*goja.Program, error) {
	p, err := compileAST(name, prg, strict)
	if err == nil || !atRegExp(err, s) {
		return p, err
	}
	lower := map[*ast.RegExpLiteral]bool{}
	for _, l := range s.regexps {
		lower[l] = !gojaCompiles(l)
	}
	jsast.ReplaceExpressions(prg, func(e ast.Expression) ast.Expression {
		if l, ok := e.(*ast.RegExpLiteral); ok && lower[l] {
			return regExpCall(l)
		}
		return e
	})
	return compileAST(name, prg, strict)
}

// atRegExp reports whether compiling the tree s scanned may have failed
// because of a regular expression literal.
func atRegExp(err error, s *treeScan) bool {
	var ce *goja.CompilerSyntaxError
	var ee *EngineError
	switch {
	case errors.As(err, &ce):
		return slices.ContainsFunc(s.regexps, func(l *ast.RegExpLiteral) bool { return int(l.Idx)-1 == ce.Offset })
	case errors.As(err, &ee):
		return len(s.regexps) > 0
	}
	return false
}

// gojaCompiles reports whether goja compiles the literal l.
func gojaCompiles(l *ast.RegExpLiteral) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_, err := goja.Compile("", l.Literal, false)
	return err == nil
}

// regExpCall returns new RegExp(pattern, flags) for the literal l.
func regExpCall(l *ast.RegExpLiteral) *ast.NewExpression {
	str := func(s string) *ast.StringLiteral {
		return &ast.StringLiteral{Idx: l.Idx, Literal: strconv.Quote(s), Value: unistring.NewFromString(s)}
	}
	return &ast.NewExpression{
		New:              l.Idx,
		Callee:           &ast.Identifier{Idx: l.Idx, Name: "RegExp"},
		LeftParenthesis:  l.Idx,
		ArgumentList:     []ast.Expression{str(l.Pattern), str(l.Flags)},
		RightParenthesis: l.Idx1() - 1,
	}
}
