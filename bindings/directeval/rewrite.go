package directeval

import (
	"reflect"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/unistring"
)

// Rewrite rewrites the direct eval calls of prg in place, as the package
// doc says, or returns a *ReservedError. The new nodes take the position of
// the call they replace.
func Rewrite(prg *ast.Program) error {
	sites, err := findSites(prg, "")
	if err != nil {
		return err
	}
	// Innermost first: an outer call's arguments are copied.
	slices.SortFunc(sites, func(a, b *site) int { return int(b.call.Idx0() - a.call.Idx0()) })
	for _, s := range sites {
		s.slot.Set(reflect.ValueOf(rewriteCall(s.call)))
	}
	return nil
}

// rewriteCall returns the expression that replaces call.
func rewriteCall(call *ast.CallExpression) ast.Expression {
	at := call.Idx0()
	hook := func(method string, args ...ast.Expression) ast.Expression {
		return &ast.CallExpression{
			Callee: &ast.DotExpression{
				Left:       &ast.Identifier{Name: Hooks, Idx: at},
				Identifier: ast.Identifier{Name: unistring.String(method), Idx: at},
			},
			LeftParenthesis:  at,
			ArgumentList:     args,
			RightParenthesis: at,
		}
	}
	callee := func() ast.Expression { return &ast.Identifier{Name: "eval", Idx: at} }
	args := append([]ast.Expression{hook("leave", callee())}, call.ArgumentList...)
	return &ast.SequenceExpression{Sequence: []ast.Expression{
		hook("enter"),
		&ast.CallExpression{
			Callee:           call.Callee,
			LeftParenthesis:  call.LeftParenthesis,
			ArgumentList:     []ast.Expression{hook("source", args...)},
			RightParenthesis: call.RightParenthesis,
		},
	}}
}

// RewriteSource returns the insertions that rewrite the direct eval calls of
// src, whose tree is prg, as text, as the package doc says (none if there is
// nothing to rewrite), or a *ReservedError. Apply makes them.
func RewriteSource(src string, prg *ast.Program) ([]Insertion, error) {
	sites, err := findSites(prg, src)
	if err != nil || len(sites) == 0 {
		return nil, err
	}
	var ins []insertion
	for i, s := range sites {
		start, open, end := offset(s.call.Idx0()), offset(s.call.LeftParenthesis)+1, offset(s.call.RightParenthesis)
		if s.statement {
			ins = append(ins, insertion{Insertion{At: start, Text: Hooks + ".enter(), "}, i, false})
		} else {
			ins = append(ins, insertion{Insertion{At: start, Text: "(" + Hooks + ".enter(), "}, i, false},
				insertion{Insertion{At: end + 1, Text: ")"}, i, true})
		}
		ins = append(ins,
			insertion{Insertion{At: open, Text: Hooks + ".source(" + Hooks + ".leave(eval), "}, i, false},
			insertion{Insertion{At: end, Text: ")"}, i, true})
	}
	sortInsertions(sites, ins)
	out := make([]Insertion, len(ins))
	for i, in := range ins {
		out[i] = in.Insertion
	}
	return out, nil
}

// An Insertion is text to insert at a byte offset of a source.
type Insertion struct {
	At   int
	Text string
	Cut  int // bytes of the source at At that Text replaces
}

// Apply returns src with the insertions, in order of offset, made; each
// offset is shifted back by base first.
func Apply(src string, base int, ins []Insertion) string {
	var b strings.Builder
	last := 0
	for _, in := range ins {
		b.WriteString(src[last : in.At-base])
		b.WriteString(in.Text)
		last = in.At - base + in.Cut
	}
	b.WriteString(src[last:])
	return b.String()
}

// offset converts a position in a tree parsed from a string into a byte
// offset in the string.
func offset(idx file.Idx) int { return int(idx) - 1 }

// insertion is an Insertion for the call sites[site], which opens or
// closes it.
type insertion struct {
	Insertion
	site  int
	close bool
}

// sortInsertions sorts ins by offset. At one offset, what closes an inner
// call comes before what closes an outer one, which comes before what opens
// an outer call, which comes before what opens an inner one; but a call
// without arguments opens before it closes.
func sortInsertions(sites []*site, ins []insertion) {
	// A call that starts later, or at the same place but ends sooner, is inside.
	inner := func(a, b int) int {
		ca, cb := sites[a].call, sites[b].call
		if ca.Idx0() != cb.Idx0() {
			return int(ca.Idx0() - cb.Idx0())
		}
		return int(cb.RightParenthesis - ca.RightParenthesis)
	}
	slices.SortStableFunc(ins, func(a, b insertion) int {
		switch {
		case a.At != b.At:
			return a.At - b.At
		case a.close != b.close:
			if a.close == (a.site != b.site) {
				return -1
			}
			return 1
		case a.close:
			return -inner(a.site, b.site)
		}
		return inner(a.site, b.site)
	})
}
