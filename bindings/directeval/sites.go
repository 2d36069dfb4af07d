package directeval

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// Hooks names the realm's hooks: a global const binding holding an
// object with the methods enter, leave and source.
const Hooks = "__wsjs$eval"

// A ReservedError is a script that names Hooks.
type ReservedError struct {
	Offset int // where, in bytes from the start of the source
}

func (e *ReservedError) Error() string {
	return fmt.Sprintf("the identifier %s is reserved by wsjs (offset %d)", Hooks, e.Offset)
}

// site is a direct eval call to rewrite.
type site struct {
	call *ast.CallExpression
	// slot holds call in its parent node, settable.
	slot reflect.Value
	// statement: the call starts an expression statement.
	statement bool
}

// scan is one walk of a tree for its sites.
type scan struct {
	src   string // the source text, to check callees; "" skips the check
	sites []*site
	calls map[*ast.CallExpression]reflect.Value // eval calls and their slots
	// starts are the offsets of the expression statements.
	starts   map[file.Idx]bool
	withs    map[*ast.CallExpression]bool // the calls inside with statements
	declared bool                         // the script declares eval with let, const or a parameter
	reserved *ReservedError
}

// findSites returns the calls in prg to rewrite, or a *ReservedError. src,
// if not empty, is prg's source text: a call whose callee is not written
// "eval" followed by spaces is left out then.
func findSites(prg *ast.Program, src string) ([]*site, error) {
	s := &scan{
		src:    src,
		calls:  map[*ast.CallExpression]reflect.Value{},
		starts: map[file.Idx]bool{},
		withs:  map[*ast.CallExpression]bool{},
	}
	jsast.Walk(prg, s.visit)
	if s.reserved != nil {
		return nil, s.reserved
	}
	if s.declared {
		return nil, nil
	}
	for call, slot := range s.calls {
		if s.withs[call] || !s.plainCallee(call) {
			continue
		}
		s.sites = append(s.sites, &site{call: call, slot: slot, statement: s.starts[call.Idx0()]})
	}
	return s.sites, nil
}

// visit looks at one node of the tree.
func (s *scan) visit(v reflect.Value) bool {
	switch n := v.Interface().(type) {
	case *ast.Identifier:
		s.name(n.Name, n.Idx)
	case *ast.PropertyShort:
		s.name(n.Name.Name, n.Name.Idx)
	case *ast.DotExpression:
		s.name(n.Identifier.Name, n.Identifier.Idx)
	case *ast.ExpressionStatement:
		s.starts[n.Expression.Idx0()] = true
	case *ast.WithStatement:
		if n.Body != nil {
			jsast.WalkNode(n.Body, func(v reflect.Value) bool {
				if call, ok := v.Interface().(*ast.CallExpression); ok {
					s.withs[call] = true
				}
				return true
			})
		}
	case *ast.LexicalDeclaration:
		for _, b := range n.List {
			s.binding(b.Target)
		}
	case *ast.ParameterList:
		for _, b := range n.List {
			s.binding(b.Target)
		}
		if n.Rest != nil {
			s.binding(n.Rest)
		}
	case *ast.ForDeclaration:
		s.binding(n.Target)
	}
	if v.Elem().Kind() == reflect.Struct {
		s.children(v.Elem())
	}
	return true
}

// name notes a use of the reserved name.
func (s *scan) name(name unistring.String, at file.Idx) {
	if name == Hooks && s.reserved == nil {
		s.reserved = &ReservedError{Offset: int(at) - 1}
	}
}

// binding notes whether the target binds eval.
func (s *scan) binding(target ast.Node) {
	jsast.WalkNode(target, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.Identifier:
			s.declared = s.declared || n.Name == "eval"
		case *ast.PropertyShort:
			s.declared = s.declared || n.Name.Name == "eval"
		case *ast.PropertyKeyed:
			// Only the value binds: walk it alone.
			s.binding(n.Value)
			return false
		}
		return true
	})
}

// children notes the calls of eval held by the node n.
func (s *scan) children(n reflect.Value) {
	for i := range n.NumField() {
		f := n.Field(i)
		switch {
		case f.Kind() == reflect.Interface && f.CanSet():
			s.child(f)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Interface:
			for j := range f.Len() {
				s.child(f.Index(j))
			}
		}
	}
}

func (s *scan) child(slot reflect.Value) {
	call, ok := slot.Interface().(*ast.CallExpression)
	if !ok {
		return
	}
	if id, ok := call.Callee.(*ast.Identifier); ok && id.Name == "eval" {
		s.calls[call] = slot
	}
}

// plainCallee reports whether call's callee is written "eval" followed by
// nothing but spaces before its arguments.
func (s *scan) plainCallee(call *ast.CallExpression) bool {
	if s.src == "" {
		return true
	}
	start, open := int(call.Callee.Idx0())-1, int(call.LeftParenthesis)-1
	if start < 0 || open > len(s.src) || start+4 > open || s.src[start:start+4] != "eval" {
		return false
	}
	for _, c := range s.src[start+4 : open] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
