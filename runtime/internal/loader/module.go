package loader

import (
	"errors"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
)

// A ModuleKind says what a module is made of.
type ModuleKind uint8

const (
	// SourceText is an ES module: Program evaluates to its module function
	// (see esm.go).
	SourceText ModuleKind = iota
	// CommonJS is CommonJS code, bundled with what it requires by esbuild
	// into an ES module (Program) whose default export is module.exports;
	// a named import reads the property of that name, as esbuild's own
	// bundles do.
	CommonJS
	// JSONModule is a JSON file: its one export, default, is the value of
	// Data (https://tc39.es/proposal-json-modules/).
	JSONModule
	// TextModule's default export is the string Data.
	TextModule
	// BytesModule's default export is a Uint8Array of the bytes Data.
	BytesModule
	// HostModule is a module the host provides, named Data (its name after
	// "host:"); like CommonJS, a named import reads a property of it.
	HostModule
)

// A Module is a module of a graph, compiled: what ECMA-262 calls a Module
// Record (https://tc39.es/ecma262/#sec-abstract-module-records) less what
// each runtime keeps of it, which the runtime's linker adds.
type Module struct {
	Key  string // its identity in a runtime's module map
	Name string // how errors and stacks name it
	Kind ModuleKind
	// Program evaluates to the module function of a SourceText or
	// CommonJS module.
	Program *goja.Program
	Data    string

	Requests        []Request
	Imports         []ImportEntry
	LocalExports    []ExportEntry
	IndirectExports []ExportEntry
	StarExports     []ExportEntry
	// Locals are the keys of the accessors the module function yields:
	// each local name that LocalExports name once.
	Locals []string
	// Async is [[HasTLA]]: the module's code has a top-level await.
	Async bool
	// Meta says the code uses import.meta, Dynamic that it calls import().
	Meta, Dynamic bool
	// DefaultFunc names the local function declaration that an
	// anonymous `export default function` became, whose name is to be
	// "default"; or "".
	DefaultFunc string
	// Stable says, of each of Locals, when it stops changing (see
	// stable.go); those missing are Mutable.
	Stable map[string]Stability

	// Deps are the modules Requests resolve to, in order.
	Deps []*Module
	// from is where the module is, which its requests resolve against;
	// graph is the graph it belongs to.
	from  Source
	graph *Graph
	// requestPos is where each request is in the code esbuild printed,
	// which smap maps to the sources, for errors.
	requestPos []genPos
	smap       []byte
	// exportIndex finds local and indirect exports by name (see
	// indexExports).
	exportIndex map[string]int
}

// compileModule compiles code, the ES module src as esbuild printed it,
// with its source map smap, and syn, what scanModule found in it.
func compileModule(src Source, code string, smap []byte, syn *moduleSyntax) (*Module, error) {
	m := &Module{
		Name:            src.name,
		Kind:            SourceText,
		Requests:        syn.requests,
		Imports:         syn.imports,
		LocalExports:    syn.local,
		IndirectExports: syn.indirect,
		StarExports:     syn.star,
		Meta:            syn.meta,
		Dynamic:         syn.dynamic,
		from:            src,
		smap:            smap,
	}
	x := newLineIndex(code)
	for _, at := range syn.requestAt {
		line, col := x.position(at)
		m.requestPos = append(m.requestPos, genPos{line, col})
	}
	m.indexExports()
	seen := map[string]bool{}
	for _, e := range syn.local {
		if !seen[e.Local] {
			seen[e.Local] = true
			m.Locals = append(m.Locals, e.Local)
		}
	}
	edited, emap := applyEdits(code, smap, syn.edits)
	prg, err := m.compile(src, edited, emap)
	if err != nil {
		return nil, err
	}
	m.Program = prg
	return m, nil
}

// compile compiles the program of m from edited, its code edited, whose
// source map is emap.
func (m *Module) compile(src Source, edited string, emap []byte) (*goja.Program, error) {
	name := bundleName(src)
	full, fmap := moduleCode(name, edited, m.Locals), prependLines(emap, 1)
	a, scan, err := parse(name, full, parser.WithSourceMapLoader(func(string) ([]byte, error) { return shiftColumns(fmap), nil }))
	if err != nil {
		return nil, mapSyntaxError(src, name, fmap, err)
	}
	cm := newCodeMap(full, fmap)
	restoreSources(scan, cm)
	restoreNames(a, cm)
	if err := checkRegExps(scan, mappedSites{src, name, cm}); err != nil {
		return nil, err
	}
	fn := moduleFunc(a)
	if fn == nil {
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "the module's code is not one goja can run"}}}
	}
	if id := duplicateDeclaration(fn); id != nil {
		line, col := newLineIndex(full).position(int(id.Idx) - 1)
		return nil, mapSyntaxError(src, name, fmap, parser.ErrorList{{Position: fileAt(line, col+1), Message: "Identifier '" + string(id.Name) + "' has already been declared"}})
	}
	if len(m.Locals) > 0 {
		m.Stable = stableLocals(fn, m.Locals)
	}
	if strings.Contains(edited, "await") {
		m.Async = makeGenerator(fn) > 1 // the first await is the header's
	} else {
		makeHeaderGenerator(fn)
	}
	for _, e := range m.LocalExports {
		if e.Name == "default" && adjustDefault(fn, e.Local, full, fmap) {
			m.DefaultFunc = e.Local
		}
	}
	prg, err := compileTree(src.name, a, scan, false)
	if err != nil {
		return nil, compileError(src, err)
	}
	return prg, nil
}

// fileAt is the position of a goja syntax error.
func fileAt(line, col int) file.Position { return file.Position{Line: line, Column: col} }

// scanError reports an error scanModule found at an offset of code.
func scanError(src Source, code string, smap []byte, err error) error {
	var se *syntaxError
	if !errors.As(err, &se) {
		return &LoadError{Problems: []Problem{{File: src.name, Text: err.Error()}}}
	}
	return problemAt(src, code, smap, se.at, se.text)
}

// problemAt returns the LoadError text at offset at of code, which smap
// maps to src.
func problemAt(src Source, code string, smap []byte, at int, text string) error {
	x := newLineIndex(code)
	line, col := x.position(min(at, len(code)))
	return mapSyntaxError(src, bundleName(src), smap, parser.ErrorList{{Position: fileAt(line, col+1), Message: text}})
}

// checkAttributes rejects import attributes other than type, as HTML does
// (https://html.spec.whatwg.org/multipage/webappapis.html#validate-requested-module-specifiers).
func checkAttributes(src Source, code string, smap []byte, syn *moduleSyntax) error {
	for i, r := range syn.requests {
		for _, a := range r.Attributes {
			if a.Key != "type" {
				return problemAt(src, code, smap, syn.requestAt[i], "Unsupported import attribute "+strconv.Quote(a.Key))
			}
		}
	}
	return nil
}

// URL returns the URL of the module, for import.meta.url: a file: URL for
// a file on disk, its path otherwise.
func (m *Module) URL() string {
	if m.from.fsys != nil || m.from.host || !m.from.fromFile && !filepath.IsAbs(m.from.path) {
		return m.from.path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(m.from.path)}).String()
}

// Graph returns the graph m belongs to, which loads what its import()
// calls ask for.
func (m *Module) Graph() *Graph { return m.graph }
