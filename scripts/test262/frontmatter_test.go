package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMeta(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want *Meta
	}{
		{"flow lists", `/*---
includes: [compareArray.js, propertyHelper.js]
flags: [onlyStrict, async]
features: [Symbol, "BigInt"]
---*/`, &Meta{
			Includes: []string{"compareArray.js", "propertyHelper.js"},
			Flags:    []string{"onlyStrict", "async"},
			Features: []string{"Symbol", "BigInt"},
		}},
		{"block lists", "/*---\nfeatures:\n  - Symbol.iterator\n  - 'Symbol'\nincludes:\n- x.js\n---*/", &Meta{
			Features: []string{"Symbol.iterator", "Symbol"},
			Includes: []string{"x.js"},
		}},
		{"negative", "/*---\nnegative:\n  phase: parse\n  type: SyntaxError\nflags: [module]\n---*/", &Meta{
			Flags:    []string{"module"},
			Negative: &Negative{Phase: "parse", Type: "SyntaxError"},
		}},
		{"multi-line text skipped", "/*---\ninfo: |\n  flags: [raw]\n  - not a flag\n\ndescription: >\n  negative: yes\nflags: []\n---*/", &Meta{}},
		{"CRLF and comments", "/*---\r\n# a comment\r\nflags: [raw] # why\r\n---*/", &Meta{Flags: []string{"raw"}}},
		{"CR", "/*---\rdescription: x\rincludes: [a.js]\rflags:\r  - raw\r---*/", &Meta{Includes: []string{"a.js"}, Flags: []string{"raw"}}},
		{"empty", "/*------*/", &Meta{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMeta("// header\n" + tt.src + "\ncode();\n")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseMetaMissing(t *testing.T) {
	for _, src := range []string{"", "code();", "/*--- flags: [raw]", "/* flags: [raw] */"} {
		if _, err := parseMeta(src); err == nil {
			t.Errorf("parseMeta(%q): no error", src)
		}
	}
}

func FuzzParseMeta(f *testing.F) {
	f.Add("/*---\nincludes: [a.js]\nflags: [async]\nnegative:\n  phase: runtime\n  type: TypeError\n---*/")
	f.Add("/*---\nfeatures:\n  - x\n---*/")
	f.Add("/*------*/")
	f.Fuzz(func(t *testing.T, src string) {
		m, err := parseMeta(src)
		if err != nil {
			return
		}
		for _, list := range [][]string{m.Includes, m.Flags, m.Features} {
			for _, s := range list {
				if s == "" || strings.ContainsAny(s, "\r\n") {
					t.Fatalf("bad item %q", s)
				}
			}
		}
	})
}
