package bigintguard

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsnest"
)

// maxBits is the size, in bits, of the largest BigInt a shift or a power
// makes: 2^24, where V8's largest BigInt has 2^30. goja computes a power by
// repeated multiplication, half a second for a result of 2^24 bits, minutes
// for 2^30; a shift copies in linear time, but goja converts a BigInt to a
// decimal string (x + "", a template literal, no hook) in time that grows
// faster than its size: 3 s for 2^24 bits, most of an hour for 2^30.
const maxBits = 1 << 24

var (
	bits = strconv.Itoa(maxBits) + "n"
	// maxRsh is the largest right shift goja takes as it is (it takes
	// counts modulo 2^64).
	maxRsh = strconv.FormatUint(math.MaxUint64, 10) + "n"
)

// The functions written into the source. Each converts an operand with
// x++, whose value is ToNumeric(x)
// (https://tc39.es/ecma262/#sec-postfix-increment-operator-runtime-semantics-evaluation),
// in the order the operator would
// (https://tc39.es/ecma262/#sec-applystringornumericbinaryoperator), and
// makes its RangeError with the realm's constructor, which script may have
// replaced: then it throws what that makes, still before the operator runs.
var (
	tooLarge = `(() => { throw new RangeError("Maximum BigInt size exceeded") })()`
	// pow is pow(L)(R): L and R are evaluated in order, then converted.
	pow = `((l) => (r) => { const a = l++, b = r++; return typeof a === "bigint" && typeof b === "bigint" && b > 1n && (a > 1n || a < -1n) && (b > ` +
		bits + ` || ((a < 0n ? -a : a) >> ` + bits + ` / b) !== 0n) ? ` + tooLarge + ` : a ** b })`
	// shiftCount[left] is what a shift's count goes through, left for <<.
	shiftCount = map[bool]string{
		true:  countGuard("c > "+bits, "c < -"+maxRsh+" ? -"+maxRsh),
		false: countGuard("c < -"+bits, "c > "+maxRsh+" ? "+maxRsh),
	}
)

// countGuard returns the function a shift's count goes through: one that
// throws where the count is over, and clamps a right shift as clamp says.
func countGuard(over, clamp string) string {
	return `((r) => typeof r === "bigint" || typeof r === "function" || typeof r === "object" && r !== null ? { __proto__: null, valueOf() { const c = r++; return typeof c !== "bigint" ? c : ` +
		over + ` ? ` + tooLarge + ` : ` + clamp + ` : c } } : r)`
}

// Might reports whether src may hold an operator Edits rewrites.
func Might(src string) bool {
	return strings.Contains(src, "**") || strings.Contains(src, "<<") || strings.Contains(src, ">>")
}

// Edits returns the insertions that guard the operators of prg, parsed
// from src, in order of offset. The error is a tree that does not match
// the source.
func Edits(src string, prg *ast.Program) (_ []directeval.Insertion, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bigintguard: %v", p)
		}
	}()
	if strings.Contains(src, temp) {
		return nil, fmt.Errorf("the identifier %s is reserved by wsjs", temp)
	}
	e := &editor{src: src, counts: analyze(prg), declared: map[*ast.BlockStatement]bool{}}
	// A var's binding is in its function's DeclarationList and in its
	// statement both: each node is rewritten once.
	seen := map[any]bool{}
	jsast.WalkNode(prg, func(v reflect.Value) bool {
		if seen[v.Interface()] {
			return false
		}
		seen[v.Interface()] = true
		if n, r, left, ok := shiftOf(v.Interface()); ok {
			e.count(n, r, left)
			return true
		}
		switch n := v.Interface().(type) {
		case *ast.BinaryExpression:
			if n.Operator == token.EXPONENT {
				e.binaryPow(n)
			}
		case *ast.AssignExpression:
			if n.Operator == token.EXPONENT {
				e.compoundPow(n)
			}
		case *ast.RegExpLiteral:
			if !jsast.RegExpTerminated(src, n) {
				panic(fmt.Sprintf("unterminated regular expression literal at offset %d", start(n)))
			}
		}
		return true
	})
	slices.SortStableFunc(e.ins, func(a, b edit) int {
		if a.At != b.At {
			return a.At - b.At
		}
		if a.rank() != b.rank() {
			return a.rank() - b.rank()
		}
		if a.open {
			return b.span - a.span
		}
		return a.span - b.span
	})
	out := make([]directeval.Insertion, len(e.ins))
	for i, in := range e.ins {
		out[i] = in.Insertion
	}
	return out, nil
}

// edit is an Insertion and what orders it among those at its offset: the
// length of the rewritten node it is part of.
type edit struct {
	directeval.Insertion
	open bool
	span int
}

// rank orders the edits at one offset: what closes comes first (the inner
// rewrite, of a shorter node, first), then what opens (the outer first),
// then what replaces text, which Apply must make last.
func (e edit) rank() int {
	switch {
	case e.Cut > 0:
		return 2
	case e.open:
		return 1
	}
	return 0
}

type editor struct {
	src      string
	ins      []edit
	counts                                // see analyze
	declared map[*ast.BlockStatement]bool // bodies given their temp
}

func (e *editor) open(at int, text string, node ast.Node) {
	e.ins = append(e.ins, edit{directeval.Insertion{At: at, Text: text}, true, e.end(node) - start(node)})
}

// realStart returns where the text of n begins: goja's tree keeps no
// parentheses, and n's position is its first operand's, inside the
// parentheses around that operand (and around its own first operand...),
// which belong to n's text. Each such pair closes in the gap between the
// operand's end and the next token of its parent.
func (e *editor) realStart(n ast.Node) int {
	wrapped := 0
	for c := leftChild(n); c != nil; n, c = c, leftChild(c) {
		for at := e.end(c); ; at++ {
			at, _, _ = jsnest.SkipSpace(e.src, at)
			if at >= len(e.src) || e.src[at] != ')' {
				break
			}
			wrapped++
		}
	}
	at := start(n)
	for ; wrapped > 0; wrapped-- {
		at = jsnest.LastToken(e.src, at)
		if at < 0 || e.src[at] != '(' {
			panic(fmt.Sprintf("no ( before offset %d", start(n)))
		}
	}
	return at
}

// leftChild returns the operand n's text begins with, if n begins with one.
func leftChild(n ast.Node) ast.Node {
	var c ast.Expression
	switch n := n.(type) {
	case *ast.CallExpression:
		c = n.Callee
	case *ast.DotExpression:
		c = n.Left
	case *ast.PrivateDotExpression:
		c = n.Left
	case *ast.BracketExpression:
		c = n.Left
	case *ast.TemplateLiteral:
		c = n.Tag // nil for an untagged one
	case *ast.BinaryExpression:
		c = n.Left
	case *ast.SequenceExpression:
		c = n.Sequence[0]
	case *ast.ConditionalExpression:
		c = n.Test
	case *ast.AssignExpression:
		c = n.Left
	case *ast.UnaryExpression:
		if n.Postfix {
			c = n.Operand
		}
	case *ast.OptionalChain:
		c = n.Expression
	case *ast.Optional:
		c = n.Expression
	}
	return c
}

// close closes at the end of at what the rewrite of node opened.
func (e *editor) close(at, node ast.Node, text string) {
	e.ins = append(e.ins, edit{directeval.Insertion{At: e.end(at), Text: text}, false, e.end(node) - start(node)})
}

func (e *editor) cut(at, n int, text string) {
	e.ins = append(e.ins, edit{directeval.Insertion{At: at, Text: text, Cut: n}, false, 0})
}

// binaryPow rewrites L ** R as pow(L)(R).
func (e *editor) binaryPow(n *ast.BinaryExpression) {
	if isNumber(n.Right, 0) {
		return // a Number exponent with a BigInt base throws
	}
	// An operand in parentheses of its own: a comma expression is one, not
	// two arguments.
	e.open(e.realStart(n.Left), pow+"((", n)
	e.cut(e.operator(e.end(n.Left), "**"), 2, "))((")
	e.close(n, n, "))")
}

// count guards the count r of the shift n.
func (e *editor) count(n ast.Node, r ast.Expression, left bool) {
	if isNumber(r, maxBits) {
		return
	}
	if id, ok := r.(*ast.Identifier); ok && e.local[id] {
		name := e.src[start(id):e.end(id)]
		e.cut(start(id), len(name), "(typeof "+name+` === "number" ? `+name+" : "+shiftCount[left]+"("+name+"))")
		return
	}
	if body := e.temp[r]; body != nil {
		e.declare(body)
		e.open(e.realStart(r), "("+temp+" = (", n)
		e.close(r, n, "), typeof "+temp+` === "number" ? `+temp+" : "+shiftCount[left]+"("+temp+"))")
		return
	}
	e.open(e.realStart(r), shiftCount[left]+"((", n)
	e.close(r, n, "))")
}

// declare declares the temp in the function body b, once: after its
// directives, which must stay first, or before its first token.
func (e *editor) declare(b *ast.BlockStatement) {
	if e.declared[b] {
		return
	}
	e.declared[b] = true
	last := -1
	for _, s := range b.List {
		x, ok := s.(*ast.ExpressionStatement)
		if !ok {
			break
		}
		if _, ok := x.Expression.(*ast.StringLiteral); !ok || e.src[jsnest.LastToken(e.src, start(x))] == '(' {
			break // not a directive: ("use strict") is an expression
		}
		last = e.end(x)
	}
	if last >= 0 {
		e.cut(last, 0, ";var "+temp+";")
		return
	}
	at, _, _ := jsnest.SkipSpace(e.src, int(b.LeftBrace))
	e.cut(at, 0, "var "+temp+";")
}

// compoundPow rewrites T **= R.
func (e *editor) compoundPow(n *ast.AssignExpression) {
	if isNumber(n.Right, 0) {
		return
	}
	op := e.operator(e.targetEnd(n.Left), "**=")
	if t, ok := e.plainTarget(n.Left); ok {
		// T = pow(T)(R)
		e.cut(op, 3, "= "+pow+"("+t+")(")
		e.close(n, n, ")")
		return
	}
	// The object and key are evaluated once: f(o)(k)(R) for o[k], f(o)(R)
	// for o.p and o.#p, f(k)(R) for super[k].
	set := func(ref string) string {
		return "((l) => (r) => " + ref + " = " + pow + "(l)(r))(" + ref + ")"
	}
	switch t := n.Left.(type) {
	case *ast.DotExpression:
		e.member(n, t.Left, "."+t.Identifier.Name.String(), set, op)
	case *ast.PrivateDotExpression:
		e.member(n, t.Left, ".#"+t.Identifier.Name.String(), set, op)
	case *ast.BracketExpression:
		lb, rb := int(t.LeftBracket)-1, int(t.RightBracket)-1
		if _, ok := t.Left.(*ast.SuperExpression); ok {
			e.cut(start(t.Left), lb+1-start(t.Left), "((k) => "+set("super[k]")+")((")
		} else {
			e.open(e.realStart(t.Left), "((o) => (k) => "+set("o[k]")+")((", n)
			e.close(t.Left, n, ")")
			e.cut(lb, 1, ")((")
		}
		e.cut(rb, 1, "))")
		e.cut(op, 3, "(")
		e.close(n, n, ")")
	}
}

// member rewrites o.p **= R (or o.#p): f(o)(R), where ref is ".p". The
// name is written as it is read, escapes decoded.
func (e *editor) member(n *ast.AssignExpression, obj ast.Expression, ref string, set func(string) string, op int) {
	e.open(e.realStart(obj), "((o) => "+set("o"+ref)+")((", n)
	e.close(obj, n, ")")
	dot := e.dot(e.end(obj))
	e.cut(dot, e.nameEnd(dot)-dot, ")")
	e.cut(op, 3, "(")
	e.close(n, n, ")")
}

// targetEnd returns the end of an assignment target: goja's end of a
// private member falls a character short.
func (e *editor) targetEnd(t ast.Expression) int {
	if p, ok := t.(*ast.PrivateDotExpression); ok {
		return e.nameEnd(e.dot(e.end(p.Left)))
	}
	return e.end(t)
}

// nameEnd returns the end of the name after the dot at dot (and a #).
func (e *editor) nameEnd(dot int) int {
	at, _, _ := jsnest.SkipSpace(e.src, dot+1)
	if at < len(e.src) && e.src[at] == '#' {
		at++
	}
	return jsnest.NameEnd(e.src, at)
}

// operator returns the offset of the operator tok at or after from, past
// spaces, comments and the parentheses closing the left operand.
func (e *editor) operator(from int, tok string) int {
	for {
		from, _, _ = jsnest.SkipSpace(e.src, from)
		if from < len(e.src) && e.src[from] == ')' {
			from++
			continue
		}
		if !strings.HasPrefix(e.src[from:], tok) {
			panic(fmt.Sprintf("no %s at offset %d", tok, from))
		}
		return from
	}
}

// dot returns the offset of the dot of a member expression whose object
// ends at from.
func (e *editor) dot(from int) int { return e.operator(from, ".") }

// plainTarget returns the text of the assignment target t if evaluating
// it twice cannot be seen: a name, or a property by a literal key of this,
// super or a name.
func (e *editor) plainTarget(t ast.Expression) (string, bool) {
	object := func(o ast.Expression) (string, bool) {
		switch o := o.(type) {
		case *ast.Identifier:
			return o.Name.String(), true
		case *ast.ThisExpression:
			return "this", true
		case *ast.SuperExpression:
			return "super", true
		}
		return "", false
	}
	switch t := t.(type) {
	case *ast.Identifier:
		return object(t)
	case *ast.DotExpression:
		o, ok := object(t.Left)
		return o + "." + t.Identifier.Name.String(), ok
	case *ast.PrivateDotExpression:
		o, ok := object(t.Left)
		return o + ".#" + t.Identifier.Name.String(), ok
	case *ast.BracketExpression:
		switch t.Member.(type) {
		case *ast.StringLiteral, *ast.NumberLiteral:
			o, ok := object(t.Left)
			return o + "[" + e.src[start(t.Member):e.end(t.Member)] + "]", ok
		}
	}
	return "", false
}

// isNumber reports whether e's value is a Number, or a BigInt literal no
// larger than bigLimit, whatever it holds, or its evaluation throws: a
// literal, or an operator with a Number literal operand (a BigInt and a
// Number together throw), a unary plus, an unsigned shift.
func isNumber(e ast.Expression, bigLimit int64) bool {
	switch e := e.(type) {
	case *ast.NumberLiteral:
		b, ok := e.Value.(*big.Int)
		return !ok || b.CmpAbs(big.NewInt(bigLimit)) <= 0
	case *ast.StringLiteral, *ast.BooleanLiteral, *ast.NullLiteral:
		return true
	case *ast.UnaryExpression:
		switch e.Operator {
		case token.PLUS, token.TYPEOF, token.NOT, token.VOID:
			return true
		case token.MINUS:
			return isNumberLiteral(e.Operand)
		}
	case *ast.BinaryExpression:
		switch e.Operator {
		case token.UNSIGNED_SHIFT_RIGHT:
			return true
		case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
			return false
		}
		if e.Comparison {
			return true
		}
		return isNumberLiteral(e.Left) || isNumberLiteral(e.Right)
	}
	return false
}

func isNumberLiteral(e ast.Expression) bool {
	n, ok := e.(*ast.NumberLiteral)
	if !ok {
		return false
	}
	_, big := n.Value.(*big.Int)
	return !big
}

func start(n ast.Node) int { return int(n.Idx0()) - 1 }

// end is where n ends: goja's Idx1 is wrong for some last tokens (jsast.End).
func (e *editor) end(n ast.Node) int { return jsast.End(e.src, n) }
