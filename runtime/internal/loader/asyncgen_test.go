package loader

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/unistring"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// asyncHelpersProbe uses every helper of the lowering of async generators,
// and names one of them, so that esbuild renames that one.
const asyncHelpersProbe = `var __asyncGenerator = 0;
async function* g() { await 1; yield* g(); for await (const x of []) {} }`

// TestAsyncHelperShapes fails when esbuild prints the helpers that
// lowerAsyncGenerators replaces differently: their replacements (bindings/builtins,
// js/asyncgenerator.js) then need to be checked against the new helpers, and
// asyncHelperShapes updated.
func TestAsyncHelperShapes(t *testing.T) {
	res := api.Transform(asyncHelpersProbe, api.TransformOptions{Supported: supported})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	prg, err := parser.ParseFile(nil, "probe.js", string(res.Code), 0)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	jsast.Walk(prg, func(v reflect.Value) bool {
		s, ok := v.Interface().(*ast.VariableStatement)
		if !ok || len(s.List) != 1 {
			return true
		}
		if id, ok := s.List[0].Target.(*ast.Identifier); ok {
			if m := asyncHelperName.FindStringSubmatch(id.Name.String()); m != nil && s.List[0].Initializer != nil {
				found[m[1]] = append(found[m[1]], shapeOf(s.List[0].Initializer))
			}
		}
		return false
	})
	for kind, want := range asyncHelperShapes {
		if got := found[kind]; !slices.Contains(got, want) {
			t.Errorf("esbuild's __%s has one of the shapes %q, not %q:\n%s", kind, got, want, res.Code)
		}
	}
	l := &lowering{helpers: map[unistring.String]*asyncHelper{}}
	l.findHelpers(prg)
	if len(l.helpers) != len(asyncHelperShapes) {
		t.Errorf("found %d helpers, want %d", len(l.helpers), len(asyncHelperShapes))
	}
}

// TestAsyncGeneratorsWithoutHooks runs lowered async generators in a runtime
// without the built-ins: esbuild's helpers then run them.
func TestAsyncGeneratorsWithoutHooks(t *testing.T) {
	vm := loadAndRun(t, t.TempDir(), "gen.js", `
		var got = [];
		async function* g() { yield 1; yield* [2]; return 3 }
		var o = { async *m() { yield 4 } }, e = async function* () { yield 5 };
		(async () => {
			for await (const v of g()) got.push(v);
			for await (const v of o.m()) got.push(v);
			for await (const v of e()) got.push(v);
		})();`)
	if vm == nil {
		return
	}
	if got := vm.Get("got").String(); got != "1,2,4,5" {
		t.Errorf("got %q, want 1,2,4,5", got)
	}
}
