package loader

import (
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// goja's parser drops parentheses from the syntax tree, and ends an arrow
// function's source text where its body's last node ends: the text of
// `() => ({a: 1})` lacks its last parenthesis, and so does any arrow whose
// concise body ends in a parenthesized expression, (a) + (b) included.
// Function.prototype.toString must return the exact source text
// (https://tc39.es/ecma262/#sec-function.prototype.tostring), so after each
// parse fixArrowSources extends such an arrow's Source over the closing
// parentheses (and the comments and white space before them) that its text
// opens but does not close. Counting parentheses needs to know which ones
// are inside string, template and regular expression literals: the tree
// says where those are, so no lexing of / is needed; comments are skipped
// as the scan meets them. The walk of the tree costs about a third of what
// parsing does, once per compiled script, not per runtime.

// span is a range of byte offsets in the source, [from, to).
type span struct{ from, to int }

// arrowScan is what one walk of the tree gathers.
type arrowScan struct {
	arrows  []*ast.ArrowFunctionLiteral // those with a concise body
	literal []span                      // literals, whose parentheses are text
}

var (
	arrowType    = reflect.TypeFor[*ast.ArrowFunctionLiteral]()
	stringType   = reflect.TypeFor[*ast.StringLiteral]()
	regexpType   = reflect.TypeFor[*ast.RegExpLiteral]()
	templateType = reflect.TypeFor[*ast.TemplateElement]()
)

// fixArrowSources corrects the Source of the arrow functions in prg, parsed
// from src with base 1 (goja's file.Idx of the first byte).
func fixArrowSources(src string, prg *ast.Program) {
	if !strings.Contains(src, "=>") {
		return
	}
	var s arrowScan
	jsast.Walk(prg, s.visit)
	if len(s.arrows) == 0 {
		return
	}
	sort.Slice(s.literal, func(i, j int) bool { return s.literal[i].from < s.literal[j].from })
	for _, a := range s.arrows {
		from, to := int(a.Start)-1, int(a.Body.Idx1())-1
		if from < 0 || to > len(src) || from > to {
			continue
		}
		if end := s.end(src, from, to); end > to {
			a.Source = src[from:end]
		}
	}
}

// visit gathers the arrows with a concise body and the literals.
func (s *arrowScan) visit(v reflect.Value) bool {
	switch v.Type() {
	case arrowType:
		a := v.Interface().(*ast.ArrowFunctionLiteral)
		if _, ok := a.Body.(*ast.ExpressionBody); ok {
			s.arrows = append(s.arrows, a)
		}
	case stringType:
		l := v.Interface().(*ast.StringLiteral)
		s.add(l.Idx, l.Literal)
		return false
	case regexpType:
		l := v.Interface().(*ast.RegExpLiteral)
		s.add(l.Idx, l.Literal)
		return false
	case templateType:
		l := v.Interface().(*ast.TemplateElement)
		s.add(l.Idx, l.Literal)
		return false
	}
	return true
}

func (s *arrowScan) add(idx file.Idx, literal string) {
	if from := int(idx) - 1; from >= 0 {
		s.literal = append(s.literal, span{from, from + len(literal)})
	}
}

// end returns where the arrow whose text goja ends at to really ends: past
// as many closing parentheses as src[from:to] leaves open.
func (s *arrowScan) end(src string, from, to int) int {
	open := 0
	k := sort.Search(len(s.literal), func(i int) bool { return s.literal[i].to > from })
	for i := from; i < to; {
		if k < len(s.literal) && s.literal[k].from <= i {
			i = max(i, s.literal[k].to)
			k++
			continue
		}
		if n := commentLen(src[i:]); n > 0 {
			i += n
			continue
		}
		switch src[i] {
		case '(':
			open++
		case ')':
			open--
		}
		i++
	}
	end := to
	for i := to; open > 0 && i < len(src); {
		if n := commentLen(src[i:]); n > 0 {
			i += n
			continue
		}
		switch src[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			i++
			continue
		case ')':
			open--
			i++
			end = i
			continue
		}
		if r, n := utf8.DecodeRuneInString(src[i:]); unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || r == '\ufeff' {
			i += n
			continue
		}
		break
	}
	return end
}

// commentLen returns the length of the comment s starts with, or 0.
func commentLen(s string) int {
	switch {
	case strings.HasPrefix(s, "//"):
		if n := strings.IndexAny(s, "\n\r\u2028\u2029"); n >= 0 {
			return n
		}
		return len(s)
	case strings.HasPrefix(s, "/*"):
		if n := strings.Index(s[2:], "*/"); n >= 0 {
			return n + 4
		}
		return len(s)
	}
	return 0
}
