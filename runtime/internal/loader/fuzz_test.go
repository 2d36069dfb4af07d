package loader

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func FuzzVLQ(f *testing.F) {
	for _, v := range []int{0, 1, -1, 15, 16, -16, 1 << 20, -(1 << 29)} {
		f.Add(v, -v+3)
	}
	f.Fuzz(func(t *testing.T, a, b int) {
		if a > 1<<30 || a < -(1<<30) || b > 1<<30 || b < -(1<<30) {
			return
		}
		enc := appendVLQ(appendVLQ(nil, a), b)
		got, ok := decodeVLQ(nil, enc)
		if !ok || !slices.Equal(got, []int{a, b}) {
			t.Fatalf("%d %d encoded %q decoded %v %v", a, b, enc, got, ok)
		}
	})
}

// FuzzShiftColumns checks that shifting never panics, keeps malformed maps as they are
// and moves exactly the columns it documents.
func FuzzShiftColumns(f *testing.F) {
	f.Add(`{"version": 3, "mappings": ";;AAAO,WAAS,EAAE;AACnC,UAAM;;;ACDA,MAAM"}`)
	f.Add(`{"mappings": "AAAA"}`)
	f.Add(`{"mappings": ";;;"}`)
	f.Add(`{"mappings": "A"}`)
	f.Add(`{"mappings": "!!"}`)
	f.Add(`{"mappings": "`)
	f.Add(`no mappings at all`)
	f.Fuzz(func(t *testing.T, smap string) {
		out := shiftColumns([]byte(smap))
		const key = `"mappings": "`
		i := bytes.Index(out, []byte(key))
		if i < 0 || bytes.Equal(out, []byte(smap)) {
			return
		}
		// Decode both and compare absolute positions.
		before := decodeMappings(t, smap[i+len(key):])
		after := decodeMappings(t, string(out[i+len(key):]))
		if len(before) != len(after) {
			t.Fatalf("segment count changed: %v -> %v", before, after)
		}
		for k := range before {
			b, a := before[k], after[k]
			if a[0] != b[0]+1 || len(a) != len(b) || len(a) >= 4 && a[3] != b[3]+1 {
				t.Fatalf("segment %d: %v -> %v", k, b, a)
			}
			for j := range a {
				if j != 0 && j != 3 && a[j] != b[j] {
					t.Fatalf("segment %d: %v -> %v", k, b, a)
				}
			}
		}
	})
}

// decodeMappings returns absolute field values of every segment (line number first).
func decodeMappings(t *testing.T, s string) [][]int {
	if j := bytes.IndexByte([]byte(s), '"'); j >= 0 {
		s = s[:j]
	}
	var out [][]int
	abs := make([]int, 5)
	for line, l := range bytes.Split([]byte(s), []byte{';'}) {
		abs[0] = 0
		if len(l) == 0 {
			continue
		}
		for _, seg := range bytes.Split(l, []byte{','}) {
			f, ok := decodeVLQ(nil, seg)
			if !ok {
				t.Skip("malformed segment after the first one")
			}
			rec := []int{line}
			for j, v := range f {
				if j < 5 {
					abs[j] += v
					rec = append(rec, abs[j])
				}
			}
			out = append(out, rec[1:])
		}
	}
	return out
}

// FuzzLoad feeds arbitrary scripts to the loader: it must compile them or return a
// *LoadError, never panic.
func FuzzLoad(f *testing.F) {
	f.Add("main.js", "console.log(1)")
	f.Add("main.ts", "let x: number = 1; export {}")
	f.Add("main.js", "await 1; import('./x')")
	f.Add("main.tsx", "<div>{1}</div>")
	f.Add("main.mjs", "import x from 'nope'")
	f.Add("main.js", "let a b")
	f.Add("main.cjs", "module.exports = require('./y')")
	f.Add("main.js", "/(?<a>x)\\k<a>/d; class A { static { } #p; @d m() {} }")
	f.Add("main.mjs", "import * as self from './main.mjs'; export default function () {}; await import(self.x)")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name, src string) {
		name = filepath.Base(filepath.Clean("/" + name))
		if name == "/" || name == "." {
			return
		}
		s, err := NewSource(name, filepath.Join(dir, name), src, false)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("newSource error %T %v", err, err)
			}
			return
		}
		// Bundled (as for workers), and for a runtime (a module graph).
		for _, module := range []bool{false, true} {
			l, err := Load(&Config{Dir: dir, Module: module}, s)
			var le *LoadError
			if err != nil && !errors.As(err, &le) {
				t.Fatalf("load error %T %v", err, err)
			}
			if err == nil && l.Program == nil && (l.Graph == nil || l.Graph.Entry == nil) {
				t.Fatal("no program, no module and no error")
			}
		}
	})
}
