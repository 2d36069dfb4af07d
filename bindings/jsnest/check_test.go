package jsnest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// deep holds text that nests n levels, in each way goja's parser or compiler
// recurses.
var deep = map[string]func(n int) string{
	"arrays":         func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) },
	"parentheses":    func(n int) string { return strings.Repeat("(", n) + "1" + strings.Repeat(")", n) },
	"objects":        func(n int) string { return "(" + strings.Repeat("{a:", n) + "1" + strings.Repeat("}", n) + ")" },
	"blocks":         func(n int) string { return strings.Repeat("{", n) + strings.Repeat("}", n) },
	"functions":      func(n int) string { return strings.Repeat("(function(){", n) + strings.Repeat("})", n) },
	"templates":      func(n int) string { return strings.Repeat("`${", n) + "1" + strings.Repeat("}`", n) },
	"unary":          func(n int) string { return strings.Repeat("-", n) + "1" },
	"void":           func(n int) string { return strings.Repeat("void ", n) + "1" },
	"not":            func(n int) string { return strings.Repeat("!", n) + "1" },
	"sum":            func(n int) string { return "1" + strings.Repeat("+1", n) },
	"sum over lines": func(n int) string { return "1" + strings.Repeat("\n+1", n) },
	"and":            func(n int) string { return "1" + strings.Repeat("&&1", n) },
	"assignments":    func(n int) string { return "var a;" + strings.Repeat("a=", n) + "1" },
	"conditionals":   func(n int) string { return strings.Repeat("1?", n) + "1" + strings.Repeat(":1", n) },
	"conditional chain": func(n int) string {
		return "var a;" + strings.Repeat("a ? 1 : ++a ? 1 : ", n/2) + "1"
	},
	"arrows":           func(n int) string { return strings.Repeat("()=>", n) + "1" },
	"calls":            func(n int) string { return "f=x=>f;f" + strings.Repeat("()", n) },
	"members":          func(n int) string { return "o" + strings.Repeat(".o", n) },
	"tagged templates": func(n int) string { return "f" + strings.Repeat("``", n) },
	"type assertions":  func(n int) string { return "x" + strings.Repeat(" as any", n) },
	"ifs":              func(n int) string { return strings.Repeat("if(1)", n) + ";" },
	"else ifs":         func(n int) string { return "if(0);" + strings.Repeat("else if(0);", n) },
	"labels":           func(n int) string { return strings.Repeat("a:", n) + ";" },
	"labels, named apart": func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("a" + strconv.Itoa(i) + ":")
		}
		return b.String() + ";"
	},
	"labelled for": func(n int) string { return strings.Repeat("for(;;) a: ", n) + ";" },
	"whiles":       func(n int) string { return strings.Repeat("while(0)\n", n) + ";" },
	"dos":          func(n int) string { return strings.Repeat("do ", n) + ";" + strings.Repeat("while(0);", n) },
	"classes":      func(n int) string { return strings.Repeat("(class extends ", n) + "Object" + strings.Repeat("{})", n) },
	"news":         func(n int) string { return strings.Repeat("new ", n) + "f" },
	"awaits":       func(n int) string { return "async()=>" + strings.Repeat("await ", n) + "1" },
	"regexp after if": func(n int) string {
		return strings.Repeat("{ if (1) /}/.x\n", n) + strings.Repeat("}", n)
	},
	"regexp after block": func(n int) string {
		return strings.Repeat("{ {}\n/}/.x\n", n) + strings.Repeat("}", n)
	},
	"regexp after function": func(n int) string {
		return strings.Repeat("{ function f(){}\n/}/.x\n", n) + strings.Repeat("}", n)
	},
	"division after call":    func(n int) string { return "f()/" + strings.Repeat("[", n) + strings.Repeat("]", n) + "/1" },
	"string with semicolons": func(n int) string { return "x=1" + strings.Repeat("+';'", n) },
	"no-break spaces":        func(n int) string { return "var a;" + strings.Repeat("a\u00a0? 1 : ", n) + "1" },
}

func TestDeepTextRefused(t *testing.T) {
	for name, f := range deep {
		var e *Error
		if err := Check(f(4 * MaxDepth)); !errors.As(err, &e) {
			t.Errorf("%s, %d deep: %v, want an *Error", name, 4*MaxDepth, err)
		}
		if err := Check(f(500)); err != nil {
			t.Errorf("%s, 500 deep: %v", name, err)
		}
	}
}

func TestFlatTextAllowed(t *testing.T) {
	n := 10 * MaxDepth
	for name, src := range map[string]string{
		"statements":           strings.Repeat("a = 1;\n", n),
		"statements, no semis": strings.Repeat("a = b + 1\n", n),
		"calls, no semis":      strings.Repeat("foo(x)\n", n),
		"awaits":               "async function f() {\n" + strings.Repeat("  await g(x)\n", n) + "}",
		"array":                "[" + strings.Repeat("1 + 2, ", n) + "]",
		"object":               "({" + strings.Repeat("a: [1, 2], ", n) + "})",
		"sequence":             "1" + strings.Repeat(",1", n),
		"cases":                "switch (x) {" + strings.Repeat("case 1: ", n) + "}",
		"ifs with blocks":      strings.Repeat("if (a) { b() } else { c() }\n", n),
		"functions":            strings.Repeat("function f(a, b) { return a + b }\n", n),
		"methods":              "class A {" + strings.Repeat("m() { return 1 }\n", n) + "}",
		"regexps":              strings.Repeat("x = /[(]/.test(y);\n", n),
		"strings":              strings.Repeat("x = '((((' + \"[[[\";\n", n),
		"comments":             strings.Repeat("// ((((\n/* [[[[ */ x = 1\n", n),
	} {
		if err := Check(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrorPosition(t *testing.T) {
	err := Check("x = 1;\n  " + strings.Repeat("[", MaxDepth+1))
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || e.Column != 3+MaxDepth {
		t.Errorf("got %#v, want line 2, column %d", err, 3+MaxDepth)
	}
}
