package loader

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A Request is a module request: a specifier and its import attributes
// (https://tc39.es/ecma262/#sec-modulerequest-record).
type Request struct {
	Specifier  string
	Attributes []Attribute // in the order written
}

// An Attribute is one import attribute, such as type: "json".
type Attribute struct{ Key, Value string }

// Type returns the value of the "type" attribute, or "".
func (r Request) Type() string {
	for _, a := range r.Attributes {
		if a.Key == "type" {
			return a.Value
		}
	}
	return ""
}

func (r Request) equal(o Request) bool {
	if r.Specifier != o.Specifier || len(r.Attributes) != len(o.Attributes) {
		return false
	}
	for _, a := range r.Attributes {
		found := false
		for _, b := range o.Attributes {
			found = found || a == b
		}
		if !found {
			return false
		}
	}
	return true
}

// An ImportEntry is an import binding
// (https://tc39.es/ecma262/#importentry-record): Local, in the importing
// module, is the export Name of the module of Requests[Request], or its
// namespace object if Namespace.
type ImportEntry struct {
	Request   int
	Name      string
	Namespace bool
	Local     string
}

// An ExportEntry is an export (https://tc39.es/ecma262/#exportentry-record).
// A local export has Request -1 and names the binding Local; an indirect
// one is the export ImportName of the module of Requests[Request], or its
// namespace if Star; a star export (export * from) has Star and no Name.
type ExportEntry struct {
	Name       string
	Local      string
	Request    int
	ImportName string
	Star       bool
}

// moduleSyntax is what scanModule finds in a module's code: its requests,
// imports and exports as ParseModule sorts them
// (https://tc39.es/ecma262/#sec-parsemodule), and the edits that make the
// code one goja parses.
type moduleSyntax struct {
	requests []Request
	imports  []ImportEntry
	local    []ExportEntry
	indirect []ExportEntry
	star     []ExportEntry
	edits    []edit
	// declares reports import or export declarations; meta that
	// import.meta is used; dynamic that import() is.
	declares, meta, dynamic bool
	// requestAt is the offset of each request's first specifier.
	requestAt []int
}

// Names the edited code uses; no script can declare them, as esbuild
// renames a script's own declarations that collide with such free names.
const (
	importFunc = "__wsjs$import" // import(), the function that stands for it
	metaName   = "__wsjs$meta"   // import.meta
)

// An edit replaces code[from:to] with text.
type edit struct {
	from, to int
	text     string
}

// scanModule finds the module syntax in code, which esbuild printed. Each
// declaration is blanked out (line breaks kept), import( becomes a call of
// importFunc and import.meta becomes metaName. module says whether code is a
// module: in a script only import() is allowed.
func scanModule(code string, module bool) (*moduleSyntax, error) {
	s := newScanner(code)
	m := &moduleSyntax{}
	if s.pos > 0 {
		m.edits = append(m.edits, blank(code, 0, s.pos))
	}
	var exports []ExportEntry
	statementStart := true
	for {
		before := s.prev
		t := s.next()
		if t.kind == tokEOF {
			break
		}
		word := s.text(t)
		switch {
		case t.kind != tokName:
			statementStart = s.depth() == 0 && (s.is(t, ";") || s.is(t, "}"))
			continue
		case word != "import" && word != "export" || s.is(before, ".") || s.is(before, "?."):
			statementStart = false
			continue
		}
		if word == "import" {
			if done, err := m.importExpression(s, t, before, module); done || err != nil {
				if err != nil {
					return nil, err
				}
				statementStart = false
				continue
			}
		}
		if !statementStart || s.depth() != 0 {
			statementStart = false
			continue
		}
		if !module {
			return nil, errorAt(t.from, fmt.Sprintf("Cannot use %q outside a module", word))
		}
		var err error
		if exports, statementStart, err = m.declaration(s, t, exports); err != nil {
			return nil, err
		}
	}
	if s.bad {
		return nil, errorAt(len(code), "unterminated literal or comment")
	}
	m.sortExports(exports)
	return m, nil
}

// importExpression handles import( and import.meta, the import keyword t
// just scanned after the token before, and reports whether it was either:
// else s is back after t.
func (m *moduleSyntax) importExpression(s *scanner, t, before tok, module bool) (bool, error) {
	save := *s
	defer func() { *s = save }()
	switch n := s.next(); {
	case s.is(n, "("):
		method, valid := importArgs(s)
		if method {
			return true, nil
		}
		if !valid || s.is(before, "new") {
			return true, errorAt(t.from, "Invalid import() call")
		}
		m.dynamic = true
		m.edits = append(m.edits, edit{t.from, t.to, importFunc})
		return true, nil
	case s.is(n, "."):
		p := s.next()
		if p.kind != tokName || s.text(p) != "meta" {
			return true, errorAt(t.from, fmt.Sprintf("Unsupported import phase %q", s.text(p)))
		}
		if !module {
			return true, errorAt(t.from, "Cannot use \"import.meta\" outside a module")
		}
		m.meta = true
		m.edits = append(m.edits, edit{t.from, p.to, metaName})
		return true, nil
	}
	return false, nil
}

// declaration parses the import or export declaration whose keyword t was
// just scanned, and blanks it out; exports gets its export entries. It
// reports whether a statement starts after it.
func (m *moduleSyntax) declaration(s *scanner, t tok, exports []ExportEntry) ([]ExportEntry, bool, error) {
	if s.is(t, "export") {
		if e, ok := exportDefault(s, m, t); ok {
			return append(exports, e), false, nil
		}
	}
	d := declParser{s: s, m: m}
	var err error
	if s.is(t, "import") {
		err = d.importDecl()
	} else {
		exports, err = d.exportDecl(exports)
	}
	if err != nil {
		return nil, false, err
	}
	m.declares = true
	m.edits = append(m.edits, blank(s.code, t.from, s.prev.to))
	return exports, true, nil
}

// importArgs scans the arguments of the import( just scanned, to the
// closing parenthesis, and reports whether they are the parameters of a
// method named import (whose body follows), and whether they are those of
// an import call: one or two arguments, none spread, perhaps a trailing
// comma (https://tc39.es/ecma262/#prod-ImportCall).
func importArgs(s *scanner) (method, valid bool) {
	d := s.depth()
	args, expect := 0, true // expect: an argument may start
	for {
		t := s.next()
		switch {
		case t.kind == tokEOF:
			return false, false
		case s.depth() < d:
			if n := s.next(); s.is(n, "{") {
				return true, false
			}
			return false, args >= 1 && args <= 2
		case s.depth() > d && !(s.depth() == d+1 && expect):
			continue
		case s.depth() == d && s.is(t, ","):
			if expect {
				return false, false
			}
			expect = true
		case expect:
			if s.is(t, "...") {
				return false, false
			}
			args++
			expect = false
		}
	}
}

// declaresModule reports whether the JavaScript code has an import or
// export declaration.
func declaresModule(code string) bool {
	_, ok := moduleDeclaration(code)
	return ok
}

// moduleDeclaration returns the offset of the first import or export
// declaration of the JavaScript code, if it has one: an export keyword, or
// an import keyword that neither ( nor . follows, outside brackets and not
// after a dot. A script has neither word anywhere else but as a property
// name (reserved words are no identifiers), so no statement boundary needs
// finding: one found where none starts is a syntax error all the same.
func moduleDeclaration(code string) (int, bool) {
	s := newScanner(code)
	for {
		before := s.prev
		t := s.next()
		if t.kind == tokEOF {
			return 0, false
		}
		if t.kind != tokName || s.depth() != 0 || s.is(before, ".") || s.is(before, "?.") {
			continue
		}
		switch s.text(t) {
		case "export":
			return t.from, true
		case "import":
			save := *s
			n := s.next()
			if !s.is(n, "(") && !s.is(n, ".") {
				return t.from, true
			}
			*s = save
		}
	}
}

// exportDefault handles export default followed by an expression, which
// esbuild prints in the ES modules it bundles (a bundle of CommonJS code,
// here): the keywords become a declaration of defaultName, which the
// expression initializes, and the entry that exports it is returned. t is
// the export keyword, just scanned.
func exportDefault(s *scanner, m *moduleSyntax, t tok) (ExportEntry, bool) {
	save := *s
	d := s.next()
	if !s.is(d, "default") {
		*s = save
		return ExportEntry{}, false
	}
	m.declares = true
	m.edits = append(m.edits, edit{t.from, d.to, "let " + defaultName + " ="})
	return ExportEntry{Name: "default", Local: defaultName, Request: -1}, true
}

// defaultName is the binding exportDefault declares.
const defaultName = "__wsjs$default"

// blank returns the edit that replaces code[from:to] with spaces, as many
// as it has UTF-16 code units (the unit of source map columns), keeping its
// line breaks.
func blank(code string, from, to int) edit {
	var b strings.Builder
	for _, r := range code[from:to] {
		switch r {
		case '\n', '\r':
			b.WriteRune(r)
		default:
			b.WriteString("  "[:utf16.RuneLen(r)])
		}
	}
	return edit{from, to, b.String()}
}

// sortExports sorts exports into local, indirect and star exports, as
// ParseModule does.
func (m *moduleSyntax) sortExports(exports []ExportEntry) {
	for _, ee := range exports {
		switch {
		case ee.Request >= 0 && ee.Star && ee.Name == "":
			m.star = append(m.star, ee)
		case ee.Request >= 0:
			m.indirect = append(m.indirect, ee)
		default:
			switch ie := m.importOf(ee.Local); {
			case ie == nil:
				m.local = append(m.local, ee)
			case ie.Namespace:
				// The re-export of an imported namespace.
				m.indirect = append(m.indirect, ExportEntry{Name: ee.Name, Request: ie.Request, Star: true})
			default:
				m.indirect = append(m.indirect, ExportEntry{Name: ee.Name, Request: ie.Request, ImportName: ie.Name})
			}
		}
	}
}

func (m *moduleSyntax) importOf(local string) *ImportEntry {
	for i := range m.imports {
		if m.imports[i].Local == local {
			return &m.imports[i]
		}
	}
	return nil
}

// declParser parses one import or export declaration in the forms esbuild
// prints them: the declaration keyword was just scanned.
type declParser struct {
	s *scanner
	m *moduleSyntax
}

func (d *declParser) fail(t tok) error {
	return errorAt(t.from, fmt.Sprintf("unexpected %q in a module declaration", d.s.text(t)))
}

// importDecl parses the rest of import ... from "x" with {...}; or import "x";
func (d *declParser) importDecl() error {
	type binding struct {
		name, local string
		ns          bool
	}
	var bindings []binding
	t := d.s.next()
	if t.kind == tokName && !d.peekIs(",", "from") {
		// import defer * as ns, import source x: phases of proposals.
		return errorAt(t.from, fmt.Sprintf("Unsupported import phase %q", d.s.text(t)))
	}
	if t.kind != tokString {
		if t.kind == tokName {
			bindings = append(bindings, binding{name: "default", local: d.s.text(t)})
			t = d.s.next()
			if d.s.is(t, ",") {
				t = d.s.next()
			}
		}
		switch {
		case d.s.is(t, "*"):
			if !d.s.is(d.s.next(), "as") {
				return d.fail(d.s.prev)
			}
			local := d.s.next()
			if local.kind != tokName {
				return d.fail(local)
			}
			bindings = append(bindings, binding{local: d.s.text(local), ns: true})
			t = d.s.next()
		case d.s.is(t, "{"):
			err := d.specifiers(func(name, local string) { bindings = append(bindings, binding{name: name, local: local}) })
			if err != nil {
				return err
			}
			t = d.s.next()
		}
		if !d.s.is(t, "from") {
			return d.fail(t)
		}
		t = d.s.next()
	}
	req, err := d.request(t)
	if err != nil {
		return err
	}
	for _, b := range bindings {
		d.m.imports = append(d.m.imports, ImportEntry{Request: req, Name: b.name, Namespace: b.ns, Local: b.local})
	}
	return nil
}

// peekIs reports whether the token after the current one is one of words.
func (d *declParser) peekIs(words ...string) bool {
	save := *d.s
	defer func() { *d.s = save }()
	t := d.s.next()
	for _, w := range words {
		if d.s.is(t, w) {
			return true
		}
	}
	return false
}

// exportDecl parses the rest of export {...}; export {...} from "x";
// export * from "x"; or export * as n from "x";
func (d *declParser) exportDecl(exports []ExportEntry) ([]ExportEntry, error) {
	t := d.s.next()
	switch {
	case d.s.is(t, "*"):
		ee := ExportEntry{Star: true}
		t = d.s.next()
		if d.s.is(t, "as") {
			name, err := d.moduleExportName(d.s.next())
			if err != nil {
				return nil, err
			}
			ee.Name = name
			t = d.s.next()
		}
		if !d.s.is(t, "from") {
			return nil, d.fail(t)
		}
		req, err := d.request(d.s.next())
		if err != nil {
			return nil, err
		}
		ee.Request = req
		return append(exports, ee), nil
	case d.s.is(t, "{"):
		var list []ExportEntry
		err := d.specifiers(func(local, name string) { list = append(list, ExportEntry{Name: name, Local: local, Request: -1}) })
		if err != nil {
			return nil, err
		}
		save := *d.s
		if t := d.s.next(); d.s.is(t, "from") {
			req, err := d.request(d.s.next())
			if err != nil {
				return nil, err
			}
			for i := range list {
				list[i] = ExportEntry{Name: list[i].Name, Request: req, ImportName: list[i].Local}
			}
		} else {
			*d.s = save
			if !d.s.is(d.s.next(), ";") {
				return nil, d.fail(d.s.prev)
			}
		}
		return append(exports, list...), nil
	}
	return nil, d.fail(t)
}

// specifiers parses the rest of { a, b as c, "d e" as f, } calling add
// with each pair of names.
func (d *declParser) specifiers(add func(first, second string)) error {
	for {
		t := d.s.next()
		if d.s.is(t, "}") {
			return nil
		}
		first, err := d.moduleExportName(t)
		if err != nil {
			return err
		}
		second := first
		t = d.s.next()
		if d.s.is(t, "as") {
			if second, err = d.moduleExportName(d.s.next()); err != nil {
				return err
			}
			t = d.s.next()
		}
		add(first, second)
		if d.s.is(t, "}") {
			return nil
		}
		if !d.s.is(t, ",") {
			return d.fail(t)
		}
	}
}

// moduleExportName returns the name t is: an identifier or a string.
func (d *declParser) moduleExportName(t tok) (string, error) {
	switch t.kind {
	case tokName:
		return d.s.text(t), nil
	case tokString:
		v, ok := stringValue(d.s.text(t))
		if !ok {
			return "", d.fail(t)
		}
		return v, nil
	}
	return "", d.fail(t)
}

// request parses the specifier t and the attributes and semicolon after it,
// and returns the index of the request among the module's requests.
func (d *declParser) request(t tok) (int, error) {
	if t.kind != tokString {
		return 0, d.fail(t)
	}
	spec, ok := stringValue(d.s.text(t))
	if !ok {
		return 0, d.fail(t)
	}
	specAt := t.from
	r := Request{Specifier: spec}
	t = d.s.next()
	if d.s.is(t, "with") || d.s.is(t, "assert") {
		if !d.s.is(d.s.next(), "{") {
			return 0, d.fail(d.s.prev)
		}
		for {
			k := d.s.next()
			if d.s.is(k, "}") {
				break
			}
			key, err := d.moduleExportName(k)
			if err != nil {
				return 0, err
			}
			if !d.s.is(d.s.next(), ":") {
				return 0, d.fail(d.s.prev)
			}
			v := d.s.next()
			value, ok := stringValue(d.s.text(v))
			if v.kind != tokString || !ok {
				return 0, d.fail(v)
			}
			r.Attributes = append(r.Attributes, Attribute{key, value})
			t = d.s.next()
			if d.s.is(t, "}") {
				break
			}
			if !d.s.is(t, ",") {
				return 0, d.fail(t)
			}
		}
		t = d.s.next()
	}
	if !d.s.is(t, ";") {
		return 0, d.fail(t)
	}
	for i, o := range d.m.requests {
		if o.equal(r) {
			return i, nil
		}
	}
	d.m.requests = append(d.m.requests, r)
	d.m.requestAt = append(d.m.requestAt, specAt)
	return len(d.m.requests) - 1, nil
}

// stringValue returns the value of the string literal lit
// (https://tc39.es/ecma262/#sec-literals-string-literals).
func stringValue(lit string) (string, bool) {
	if len(lit) < 2 {
		return "", false
	}
	body := lit[1 : len(lit)-1]
	if !strings.ContainsRune(body, '\\') {
		return body, true
	}
	var b strings.Builder
	var units []uint16 // pending UTF-16 code units, to pair surrogates
	for i := 0; i < len(body); {
		if body[i] != '\\' {
			if len(units) > 0 {
				b.WriteString(string(utf16.Decode(units)))
				units = units[:0]
			}
			r, n := utf8.DecodeRuneInString(body[i:])
			b.WriteRune(r)
			i += n
			continue
		}
		var ok bool
		if units, i, ok = escape(units, body, i+1); !ok {
			return "", false
		}
	}
	b.WriteString(string(utf16.Decode(units)))
	return b.String(), true
}

// escapes are the single character escape sequences and what they stand
// for.
var escapes = map[byte]uint16{'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f', 'v': '\v', '0': 0}

// escape appends to units the code units of the escape sequence at body[i:],
// after its backslash, and returns where it ends.
func escape(units []uint16, body string, i int) ([]uint16, int, bool) {
	if i >= len(body) {
		return units, i, false
	}
	c := body[i]
	i++
	if u, ok := escapes[c]; ok {
		return append(units, u), i, true
	}
	switch c {
	case '\r':
		if i < len(body) && body[i] == '\n' {
			i++
		}
		return units, i, true // a line continuation
	case '\n':
		return units, i, true
	case 'x':
		if i+2 > len(body) {
			return units, i, false
		}
		v, err := strconv.ParseUint(body[i:i+2], 16, 8)
		return append(units, uint16(v)), i + 2, err == nil
	case 'u':
		var hex string
		if i < len(body) && body[i] == '{' {
			end := strings.IndexByte(body[i:], '}')
			if end < 0 {
				return units, i, false
			}
			hex, i = body[i+1:i+end], i+end+1
		} else {
			if i+4 > len(body) {
				return units, i, false
			}
			hex, i = body[i:i+4], i+4
		}
		v, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || v > utf8.MaxRune {
			return units, i, false
		}
		if v > 0xffff {
			r1, r2 := utf16.EncodeRune(rune(v))
			return append(units, uint16(r1), uint16(r2)), i, true
		}
		return append(units, uint16(v)), i, true
	}
	r, n := utf8.DecodeRuneInString(body[i-1:]) // an escaped character stands for itself
	return append(units, utf16.Encode([]rune{r})...), i - 1 + n, true
}

// errorAt returns a *syntaxError at offset at of the code scanned.
func errorAt(at int, text string) error {
	return &syntaxError{at: at, text: text}
}

// syntaxError is an error at an offset of the code scanned.
type syntaxError struct {
	at   int
	text string
}

func (e *syntaxError) Error() string { return e.text }
