package loader

import (
	"reflect"
	"sort"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// Each tree goja parses is walked once (jsast.Walk, by reflection, costs
// about a third of what parsing does), and the walk gathers what the
// loader's corrections and checks need: the arrows whose text
// fixArrowSources extends (arrowsource.go), the functions and classes whose
// text restoreSources restores (sourcetext.go), and the regular expressions
// checkRegExps checks (regexps.go). It mends the regular expression
// literals' ends (jsast.MendRegExpLiteral), which fixArrowSources reads.

// span is a range of byte offsets in the source, [from, to).
type span struct{ from, to int }

// treeScan is what one walk of a tree gathers.
type treeScan struct {
	src      string                      // what the tree was parsed from
	arrows   []*ast.ArrowFunctionLiteral // those with a concise body
	literals []span                      // string, template and regexp literals, whose parentheses are text; sorted
	sourced  []sourcedNode               // functions and classes
	regexps  []*ast.RegExpLiteral
	// unterminated are the literals goja's parser took without their
	// closing slash (jsast.RegExpTerminated), a syntax error.
	unterminated []*ast.RegExpLiteral
	// regexpCalls are the calls new RegExp("...", "...") with string
	// literals: esbuild writes a literal it lowers as one.
	regexpCalls []*ast.NewExpression
}

// sourcedNode is a function or class: where it starts and ends, and its
// Source.
type sourcedNode struct {
	idx0, idx1 file.Idx
	source     *string
}

var (
	arrowType    = reflect.TypeFor[*ast.ArrowFunctionLiteral]()
	functionType = reflect.TypeFor[*ast.FunctionLiteral]()
	classType    = reflect.TypeFor[*ast.ClassLiteral]()
	stringType   = reflect.TypeFor[*ast.StringLiteral]()
	regexpType   = reflect.TypeFor[*ast.RegExpLiteral]()
	templateType = reflect.TypeFor[*ast.TemplateElement]()
	newType      = reflect.TypeFor[*ast.NewExpression]()
)

// scanTree walks prg, parsed from src.
func scanTree(src string, prg *ast.Program) *treeScan {
	s := &treeScan{src: src}
	jsast.Walk(prg, s.visit)
	sort.Slice(s.literals, func(i, j int) bool { return s.literals[i].from < s.literals[j].from })
	return s
}

func (s *treeScan) visit(v reflect.Value) bool {
	switch v.Type() {
	case arrowType:
		a := v.Interface().(*ast.ArrowFunctionLiteral)
		if _, ok := a.Body.(*ast.ExpressionBody); ok {
			s.arrows = append(s.arrows, a)
		} else {
			s.sourced = append(s.sourced, sourcedNode{a.Idx0(), a.Idx1(), &a.Source})
		}
	case functionType:
		f := v.Interface().(*ast.FunctionLiteral)
		s.sourced = append(s.sourced, sourcedNode{f.Idx0(), f.Idx1(), &f.Source})
	case classType:
		c := v.Interface().(*ast.ClassLiteral)
		s.sourced = append(s.sourced, sourcedNode{c.Idx0(), c.Idx1(), &c.Source})
	case stringType:
		l := v.Interface().(*ast.StringLiteral)
		s.addLiteral(l.Idx, l.Literal)
		return false
	case regexpType:
		l := v.Interface().(*ast.RegExpLiteral)
		if !jsast.RegExpTerminated(s.src, l) {
			s.unterminated = append(s.unterminated, l)
		}
		jsast.MendRegExpLiteral(l) // before any end is read: none is read in the walk
		s.addLiteral(l.Idx, l.Literal)
		s.regexps = append(s.regexps, l)
		return false
	case templateType:
		l := v.Interface().(*ast.TemplateElement)
		s.addLiteral(l.Idx, l.Literal)
		return false
	case newType:
		if n := v.Interface().(*ast.NewExpression); isRegExpCall(n) {
			s.regexpCalls = append(s.regexpCalls, n)
		}
	}
	return true
}

func (s *treeScan) addLiteral(idx file.Idx, literal string) {
	if from := int(idx) - 1; from >= 0 {
		s.literals = append(s.literals, span{from, from + len(literal)})
	}
}

// isRegExpCall reports whether n is new RegExp(pattern) or new
// RegExp(pattern, flags) with string literals.
func isRegExpCall(n *ast.NewExpression) bool {
	if id, ok := n.Callee.(*ast.Identifier); !ok || id.Name != "RegExp" || len(n.ArgumentList) < 1 || len(n.ArgumentList) > 2 {
		return false
	}
	for _, a := range n.ArgumentList {
		if _, ok := a.(*ast.StringLiteral); !ok {
			return false
		}
	}
	return true
}
