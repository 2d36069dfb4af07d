package runtime

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestExportCycles checks that Call's results that goja's Export cannot take
// (a Map or Set that holds itself, which overflows the Go stack fatally,
// and arrays too long or too deep) give an error, and that the rest export
// as Export exports them.
func TestExportCycles(t *testing.T) {
	cases := []struct {
		name, src string
		want      any
		err       string
	}{
		{"map holding itself", `export function f() { const m = new Map(); m.set("self", m); return m }`, nil, ""},
		{"set holding itself", `export function f() { const s = new Set(); s.add(s); return s }`, nil, ""},
		{"map in an object holding it", `export function f() { const o = {}; o.m = new Map([[1, o]]); return o }`, nil, ""},
		{"array too long", `export function f() { return new Array(2 ** 32 - 1) }`, nil, "too long to export"},
		{"arrays too deep", `export function f() { let a = []; for (let i = 0; i < 10000; i++) a = [a]; return a }`, nil, "nested more than"},
		{"plain values", `export function f() { return { a: [1, "x", null], m: new Map([["k", true]]), s: new Set([2]) } }`,
			map[string]any{"a": []any{int64(1), "x", nil}, "m": [][2]any{{"k", true}}, "s": []any{int64(2)}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Compile(CompileOptions{Path: "plugin.mjs", Source: c.src, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			rt, err := New(Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := rt.Start(ctx, s); err != nil {
				t.Fatal(err)
			}
			got, err := rt.Call(ctx, "f")
			switch {
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want one containing %q", err, c.err)
				}
			case err != nil:
				t.Fatal(err)
			case c.want != nil && !reflect.DeepEqual(got, c.want):
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

// TestHostFunctionArgumentCycles checks that a Map or Set that holds itself,
// given to a Go function of a host module (whose arguments goja's Export
// converts), is a TypeError, not the end of the process, while cyclic plain
// objects and shared Maps still go through.
func TestHostFunctionArgumentCycles(t *testing.T) {
	var got []any
	rt, err := New(Options{Dir: t.TempDir(), Modules: map[string]Module{
		"sink": {"take": func(v any) int { got = append(got, v); return len(got) }},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	src := `import { take } from "host:sink";
		const m = new Map(); m.set("self", m);
		const s = new Set(); s.add(s);
		const o = {}; o.o = o;
		const shared = new Map([[1, 2]]);
		const r = [];
		for (const v of [m, s, { deep: [m] }]) {
			try { take(v); r.push("no error"); } catch (e) { r.push(e instanceof TypeError); }
		}
		r.push(take(o), take([shared, shared]));
		globalThis.result = r.join();`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := rt.RunScript(ctx, "main.mjs", src); err != nil {
		t.Fatal(err)
	}
	var res string
	if err := rt.Do(ctx, func(vm *goja.Runtime) error { res = vm.Get("result").String(); return nil }); err != nil {
		t.Fatal(err)
	}
	if res != "true,true,true,1,2" {
		t.Errorf("got %q, want true,true,true,1,2", res)
	}
}
