package loader

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// describe renders what scanModule found, compactly, for comparison.
func describe(m *moduleSyntax) string {
	var b strings.Builder
	for _, r := range m.requests {
		fmt.Fprintf(&b, "req %q", r.Specifier)
		for _, a := range r.Attributes {
			fmt.Fprintf(&b, " %s=%s", a.Key, a.Value)
		}
		b.WriteString("; ")
	}
	for _, in := range m.imports {
		name := in.Name
		if in.Namespace {
			name = "*"
		}
		fmt.Fprintf(&b, "import %d.%s as %s; ", in.Request, name, in.Local)
	}
	for _, e := range m.local {
		fmt.Fprintf(&b, "local %s as %s; ", e.Local, e.Name)
	}
	for _, e := range m.indirect {
		name := e.ImportName
		if e.Star {
			name = "*"
		}
		fmt.Fprintf(&b, "indirect %d.%s as %s; ", e.Request, name, e.Name)
	}
	for _, e := range m.star {
		fmt.Fprintf(&b, "star %d; ", e.Request)
	}
	return strings.TrimSuffix(b.String(), " ")
}

// TestScanModule scans code in the forms esbuild prints and checks the
// entries found and the code once edited.
func TestScanModule(t *testing.T) {
	cases := []struct {
		name, code, want, edited string
	}{{
		name:   "imports",
		code:   "import d, { a as b, \"c d\" as e } from \"./x.js\";\nimport * as ns from './y.js';\nimport \"./x.js\";\nuse(b);",
		want:   `req "./x.js"; req "./y.js"; import 0.default as d; import 0.a as b; import 0.c d as e; import 1.* as ns;`,
		edited: strings.Repeat(" ", 47) + "\n" + strings.Repeat(" ", 29) + "\n" + strings.Repeat(" ", 16) + "\nuse(b);",
	}, {
		name: "exports",
		code: "let a = 1;\nimport { x } from \"./x.js\";\nimport * as ns from \"./ns.js\";\nexport * from \"./s.js\";\nexport { y as z } from \"./x.js\";\nexport {\n  a,\n  a as \"a b\",\n  x as w,\n  ns\n};",
		want: `req "./x.js"; req "./ns.js"; req "./s.js"; import 0.x as x; import 1.* as ns; local a as a; local a as a b; ` +
			`indirect 0.y as z; indirect 0.x as w; indirect 1.* as ns; star 2;`,
	}, {
		name: "attributes, duplicates of a request",
		code: `import a from "./d.json" with { type: "json" }; import b from "./d.json" with { "type": 'json', }; import c from "./d.json";`,
		want: `req "./d.json" type=json; req "./d.json"; import 0.default as a; import 0.default as b; import 1.default as c;`,
	}, {
		name:   "import() and import.meta",
		code:   "const m = import.meta;\nimport(m.url, { with: {} });\nclass A { import() {} static import(x) {} }\no.import(1); o?.import(2); ({ import: 1 });",
		want:   ``,
		edited: "const m = __wsjs$meta;\n__wsjs$import(m.url, { with: {} });\nclass A { import() {} static import(x) {} }\no.import(1); o?.import(2); ({ import: 1 });",
	}, {
		name:   "not in strings, templates, regular expressions or comments",
		code:   "const s = \"import('x')\", t = `\nimport x from \"y\";\n${ `import(${1})` }`, r = /import(\"x\")/g; // import('x')\n/* import('y') */ a = b / 2 / c; import(`z`);",
		want:   ``,
		edited: "const s = \"import('x')\", t = `\nimport x from \"y\";\n${ `import(${1})` }`, r = /import(\"x\")/g; // import('x')\n/* import('y') */ a = b / 2 / c; __wsjs$import(`z`);",
	}, {
		name:   "export default of a bundle",
		code:   "var require_x = () => 1;\nexport default require_x();\n",
		want:   `local __wsjs$default as default;`,
		edited: "var require_x = () => 1;\nlet __wsjs$default = require_x();\n",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := scanModule(c.code, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(m); got != c.want {
				t.Errorf("found\n%s\nwant\n%s", got, c.want)
			}
			if c.edited != "" {
				if got, _ := applyEdits(c.code, nil, m.edits); got != c.edited {
					t.Errorf("edited\n%q\nwant\n%q", got, c.edited)
				}
			}
		})
	}
}

// TestScanModuleErrors checks what scanModule rejects, and where.
func TestScanModuleErrors(t *testing.T) {
	cases := []struct {
		code   string
		module bool
		at     int
		want   string
	}{
		{"x = import.meta;", false, 4, `Cannot use "import.meta" outside a module`},
		{"import x from 'y';", false, 0, `Cannot use "import" outside a module`},
		{"f(); export { a };", false, 5, `Cannot use "export" outside a module`},
		{"import();", true, 0, "Invalid import() call"},
		{"import(...a);", true, 0, "Invalid import() call"},
		{"import(a, b, c);", true, 0, "Invalid import() call"},
		{"new import(a);", true, 4, "Invalid import() call"},
		{"import.source(a);", true, 0, `Unsupported import phase "source"`},
		{"import defer * as ns from './x.js';", true, 7, `Unsupported import phase "defer"`},
		{"x = 'unterminated", true, 17, "unterminated literal or comment"},
	}
	for _, c := range cases {
		_, err := scanModule(c.code, c.module)
		se, ok := err.(*syntaxError)
		if !ok || se.text != c.want || se.at != c.at {
			t.Errorf("%q: %v (%#v), want %q at %d", c.code, err, err, c.want, c.at)
		}
	}
	for _, ok := range []string{"import(a,);", "import(a, b,);", "import((a, b));", "import([a, b]);", "import(`${a}`, {});"} {
		if _, err := scanModule(ok, false); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// TestStringValue decodes string literals with escapes.
func TestStringValue(t *testing.T) {
	for lit, want := range map[string]string{
		`"a"`:                "a",
		`'\x41\u0042\u{43}'`: "ABC",
		`"\uD83D\uDE00"`:     "\U0001F600",
		`"a\
b"`: "ab",
		`"\n\t\\\""`: "\n\t\\\"",
		`"é"`:        "é",
	} {
		if got, ok := stringValue(lit); !ok || got != want {
			t.Errorf("%s: %q %v, want %q", lit, got, ok, want)
		}
	}
}

// TestApplyEdits checks that the columns of a source map follow the text
// an edit moves.
func TestApplyEdits(t *testing.T) {
	code := "a = import(x); b = import(y);\nc;"
	smap := identityMap("x.js", code)
	m, err := scanModule(code, false)
	if err != nil {
		t.Fatal(err)
	}
	edited, emap := applyEdits(code, smap, m.edits)
	lines, ok := readMappings(emap)
	if !ok {
		t.Fatal("unreadable mappings")
	}
	// Each segment maps a token at its column in the edited code back to
	// the same token in the original.
	for li, segs := range lines {
		for _, s := range segs {
			gen := strings.Split(edited, "\n")[li][s[0]:]
			orig := strings.Split(code, "\n")[s[2]][s[3]:]
			if firstWord(gen) != firstWord(orig) && !(strings.HasPrefix(gen, importFunc) && strings.HasPrefix(orig, "import")) {
				t.Errorf("line %d column %d: %q maps to %q", li, s[0], gen, orig)
			}
		}
	}
}

// FuzzScanModule checks that scanning never panics and that its edits are
// in order, within the code, and keep its lines.
func FuzzScanModule(f *testing.F) {
	f.Add("import a, { b as c } from 'x'; export { a }; import('y'); import.meta")
	f.Add("a = b / c / d; /re[/]/g.test(`${x}`); x = `a${`b${c}`}`")
	f.Add("export default require_x();\nexport * as ns from 'z' with { type: 'json' };")
	f.Add("class A { import() {} } o.import(); import(\n) // x")
	f.Fuzz(func(t *testing.T, code string) {
		for _, module := range []bool{false, true} {
			m, err := scanModule(code, module)
			if err != nil {
				continue
			}
			edits := append([]edit(nil), m.edits...)
			sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
			at := 0
			for _, e := range edits {
				if e.from < at || e.to < e.from || e.to > len(code) {
					t.Fatalf("edit %+v out of order or bounds in %q", e, code)
				}
				if strings.Count(e.text, "\n") != strings.Count(code[e.from:e.to], "\n") {
					t.Fatalf("edit %+v changes the lines", e)
				}
				at = e.to
			}
			for _, r := range m.requestAt {
				if r < 0 || r > len(code) {
					t.Fatalf("request at %d out of %q", r, code)
				}
			}
		}
	})
}

// TestModuleDeclaration checks where the first import or export declaration
// of a script is found, and that the words elsewhere are not taken for one.
func TestModuleDeclaration(t *testing.T) {
	for _, c := range []struct {
		src string
		at  int // -1: none
	}{
		{`export default null;`, 0},
		{"x = 1\nexport {}", 6},
		{`import v from "./v.js"`, 0},
		{`import "./side.js"`, 0},
		{"f()\nimport * as ns from 'ns'", 4},
		{`import("./m.js").then(f)`, -1},
		{`console.log(import.meta)`, -1},
		{`a.import; a?.export; a.export = 1`, -1},
		{`({ import: 1, export: 2 }); class C { import() {} export() {} }`, -1},
		{`"export"; 'import x'; /export/; // export` + "\n/* import x */ `export`", -1},
		{`if (a) { export default 1 }`, -1}, // a syntax error for goja to report
	} {
		at, ok := moduleDeclaration(c.src)
		if !ok {
			at = -1
		}
		if at != c.at {
			t.Errorf("%q: at %d, want %d", c.src, at, c.at)
		}
	}
}

// TestClassicEntry checks that a classic entry with a module declaration
// is a syntax error at the declaration, and that one without loads.
func TestClassicEntry(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ src, want string }{
		{"let x = 1;\n  export default x;", "x.js:2:3: Unexpected token 'export'"},
		{"import v from './v.js';", "x.js:1:1: Cannot use import statement outside a module"},
		{"globalThis.y = 1; import('./v.js')", ""},
	} {
		src, err := NewSource("x.js", filepath.Join(dir, "x.js"), c.src, false)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Load(&Config{Dir: dir, Module: true, Classic: true}, src)
		if err != nil {
			if c.want == "" || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("%q: %v, want %q", c.src, err, c.want)
			}
		} else if c.want != "" {
			t.Errorf("%q loaded, want %q", c.src, c.want)
		}
	}
}
