package jsnest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/dop251/goja/parser"
)

// gen writes random programs nesting one construct in another, the
// constructs where goja's parser or compiler recurse, with the slashes and
// line breaks whose reading could mislead an estimate.
type gen struct {
	rng *rand.Rand
	n   int // labels made, for names of their own
}

func (g *gen) expr(d int) string {
	if d == 0 {
		return []string{"1", "a", "'s'", "/r/g", "`t`", "this"}[g.rng.IntN(6)]
	}
	e := g.expr(d - 1)
	switch g.rng.IntN(23) {
	case 0:
		return "[" + e + "]"
	case 1:
		return "(" + e + ")"
	case 2:
		return "({a:" + e + "})"
	case 3:
		return "!" + e
	case 4:
		return "void " + e
	case 5:
		return "(a=" + e + ")"
	case 6:
		return "1?" + e + ":1"
	case 7:
		return "(()=>" + e + ")"
	case 8:
		return "new (" + e + ")"
	case 9:
		return "a+" + e
	case 10:
		return "f(" + e + ")"
	case 11:
		return "`${" + e + "}`"
	case 12:
		return "(function(){return " + e + "})"
	case 13:
		return "(class extends (" + e + "){})"
	case 14:
		return "a?.[" + e + "]"
	case 15:
		return "(0," + e + ")"
	case 16:
		return "a\n+" + e
	case 17:
		return "(a)/ " + e
	case 18:
		return "a ? 1 : ++a ? 1 : " + e
	case 19:
		return "(" + e + ")\n/2"
	case 20:
		return "(x=>" + e + ")"
	case 21:
		return "(" + e + ")`t`"
	default:
		return "1&&" + e
	}
}

func (g *gen) stmt(d int) string {
	if d == 0 {
		return g.expr(g.rng.IntN(3)) + ";"
	}
	s := g.stmt(d - 1)
	g.n++
	switch g.rng.IntN(14) {
	case 0:
		return "if(1)" + s
	case 1:
		return "while(0)" + s
	case 2:
		return "for(;;)" + s
	case 3:
		return fmt.Sprintf("L%d:", g.n) + s
	case 4:
		return "{" + s + "}"
	case 5:
		return "do " + s + " while(0)"
	case 6:
		return "if(a);else " + s
	case 7:
		return "{ if(a)/}/.x;\n" + s + "}"
	case 8:
		return "{ {}\n/}/.x;\n" + s + "}"
	case 9:
		return "{ function f(){}\n/}/.x;\n" + s + "}"
	case 10:
		return "function f(){" + s + "}"
	case 11:
		return "try{" + s + "}finally{}"
	case 12:
		return "x=" + g.expr(d) + "\n" + s
	default:
		return "if(a)\n" + s
	}
}

// TestEstimateBoundsGeneratedTrees checks Check's estimate against the
// depth of goja's syntax tree for generated programs goja parses.
func TestEstimateBoundsGeneratedTrees(t *testing.T) {
	g := &gen{rng: rand.New(rand.NewPCG(1, 2))}
	parsed := 0
	for range 3000 {
		d := 20 + g.rng.IntN(200)
		var src string
		if g.rng.IntN(4) != 0 {
			src = g.stmt(d)
		} else {
			src = "x=" + g.expr(d)
		}
		prg, err := parser.ParseFile(nil, "", src, 0)
		if err != nil {
			continue // the generator's syntax errors, such as ++ applied to a call
		}
		parsed++
		depth := treeDepth(reflect.ValueOf(prg))
		// hi becomes the estimate: the least limit scan lets src through.
		lo, hi := 0, 10*len(src)+10
		for hi-lo > 1 {
			m := (lo + hi) / 2
			if scan(src, m) < 0 {
				hi = m
			} else {
				lo = m
			}
		}
		if depth > treeLevelsPerCount*hi {
			t.Errorf("estimate %d for a tree %d deep: %.300q", hi, depth, src)
		}
	}
	if parsed < 1000 {
		t.Errorf("only %d programs of 3,000 parse", parsed)
	}
}
