package loader

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dop251/goja"
)

// runEntry loads src as a module bundle, runs it in a new goja runtime with
// host as the lookup of host modules, and returns the entry's exports.
func runEntry(t *testing.T, src Source, host func(string) any) (*goja.Runtime, *goja.Object) {
	t.Helper()
	l, err := Load(&Config{Dir: t.TempDir(), Module: true}, src)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Module {
		t.Fatal("not a module bundle")
	}
	vm := goja.New()
	v, err := vm.RunProgram(l.Program)
	if err != nil {
		t.Fatal(err)
	}
	entry, ok := goja.AssertFunction(v)
	if !ok {
		t.Fatalf("the program evaluates to %v, not the entry function", v)
	}
	exports, err := entry(goja.Undefined(), vm.ToValue(host))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := exports.Export().(*goja.Promise); ok {
		if p.State() != goja.PromiseStateFulfilled {
			t.Fatalf("top-level await: %v %v", p.State(), p.Result())
		}
		exports = p.Result()
	}
	return vm, exports.ToObject(vm)
}

func TestFSSource(t *testing.T) {
	fsys := fstest.MapFS{
		"app/main.ts":    {Data: []byte("import { a } from './a.js';\nimport { b } from '../lib';\nimport c from '/app/c.json';\nexport const all = [a(), b, c.c].join();\nexport function fail(): void { b.nope(); }\n")},
		"app/a.ts":       {Data: []byte("export const a = () => 'a';\n")},
		"lib/index.ts":   {Data: []byte("export const b = 'b';\n")},
		"app/c.json":     {Data: []byte(`{"c": "c"}`)},
		"app/tla.ts":     {Data: []byte("import { a } from './a';\nexport const x = await Promise.resolve(a());\n")},
		"app/missing.ts": {Data: []byte("import { z } from './z';\nconsole.log(z);\n")},
		"app/syntax.ts":  {Data: []byte("import './bad';\n")},
		"app/bad.ts":     {Data: []byte("export const = 1;\n")},
		"app/notutf8.ts": {Data: []byte("export const s = '\xff';\n")},
	}
	src, err := NewFSSource(fsys, "app/main.ts")
	if err != nil {
		t.Fatal(err)
	}
	_, exports := runEntry(t, src, nil)
	if got := exports.Get("all").String(); got != "a,b,c" {
		t.Errorf("all = %q", got)
	}
	fail, _ := goja.AssertFunction(exports.Get("fail"))
	_, err = fail(goja.Undefined())
	if err == nil || !strings.Contains(err.(*goja.Exception).String(), "at fail (app/main.ts:5:") {
		t.Errorf("stack does not name the file in the fs.FS: %v", err)
	}

	src, _ = NewFSSource(fsys, "app/tla.ts")
	if _, exports := runEntry(t, src, nil); exports.Get("x").String() != "a" {
		t.Errorf("x = %v", exports.Get("x"))
	}
	src, _ = NewFSSource(fsys, "app/notutf8.ts")
	if _, exports := runEntry(t, src, nil); exports.Get("s").String() != "\ufffd" {
		t.Errorf("s = %q", exports.Get("s"))
	}

	for name, want := range map[string]string{
		"app/missing.ts": `app/missing.ts:1:19: cannot find "app/z" in the script's file system`,
		"app/syntax.ts":  "app/bad.ts:1:14: Expected identifier but found \"=\"",
		"app/none.ts":    "app/none.ts: cannot read script",
	} {
		src, err := NewFSSource(fsys, name)
		if err == nil {
			_, err = Load(&Config{Dir: t.TempDir(), Module: true}, src)
		}
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}

func TestHostImports(t *testing.T) {
	src, err := NewSource("main.ts", "/virtual/main.ts", `
		import { get } from "host:kv";
		import * as kv from "host:kv";
		import log from "host:log";
		export const v = get("k") + kv.get("j");
		export default log;
	`, false)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	_, exports := runEntry(t, src, func(name string) any {
		asked = append(asked, name)
		if name == "kv" {
			return map[string]any{"get": func(k string) string { return k + "!" }}
		}
		return "the log"
	})
	if got := exports.Get("v").String(); got != "k!j!" {
		t.Errorf("v = %q", got)
	}
	if got := exports.Get("default").String(); got != "the log" {
		t.Errorf("default = %q", got)
	}
	if strings.Join(asked, ",") != "kv,log" {
		t.Errorf("asked for %v, want each module once", asked)
	}
}
