package loader

import (
	"fmt"
	"testing"
)

// TestStableLocals compiles modules and checks which of their exported
// bindings are found to stop changing, and when.
func TestStableLocals(t *testing.T) {
	cases := []struct{ code, want string }{
		{"const a = 1;\nlet b;\nb = 2;\nfunction f() {}\nvar v = 1;\nlet c = 0;\nfunction g() { c++; }\nexport { a, b, c, f, g, v };",
			"map[a:1 f:2 g:2 v:1]"},
		{"let a = 1, b = 2, c = 3;\nconst o = { p: 1 };\n({ a } = o);\n[b] = [o];\nfor (c of []) ;\no.p = 2;\nexport { a, b, c, o };",
			"map[o:1]"},
		{"let a = 1;\nfunction f() {}\neval('a = 2');\nexport { a, f };", "map[]"},
		{"let a = 1;\nfunction f(a) { a = 2; }\nexport { a, f };", "map[f:2]"}, // the parameter's name counts
	}
	for _, c := range cases {
		syn, err := scanModule(c.code, true)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := NewSource("m.js", "/m.js", c.code, true)
		m, err := compileModule(src, c.code, identityMap("m.js", c.code), syn)
		if err != nil {
			t.Fatalf("%q: %v", c.code, err)
		}
		if got := fmt.Sprint(m.Stable); got != c.want {
			t.Errorf("%q: %s, want %s", c.code, got, c.want)
		}
	}
}
