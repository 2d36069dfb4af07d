package loader

import (
	"strconv"

	"github.com/go-sourcemap/sourcemap"
)

// A Binding is what an export resolves to, a ResolvedBinding Record
// (https://tc39.es/ecma262/#resolvedbinding-record): the binding Name of
// Module, or its namespace object if Namespace.
type Binding struct {
	Module    *Module
	Name      string
	Namespace bool
}

// indexExports makes m.exportIndex: the index in m.LocalExports of each
// name a local export has, or -1 less the index in m.IndirectExports of
// an indirect export's, the first of each name.
func (m *Module) indexExports() {
	m.exportIndex = make(map[string]int, len(m.LocalExports)+len(m.IndirectExports))
	for i := len(m.IndirectExports) - 1; i >= 0; i-- {
		m.exportIndex[m.IndirectExports[i].Name] = -i - 1
	}
	for i := len(m.LocalExports) - 1; i >= 0; i-- {
		m.exportIndex[m.LocalExports[i].Name] = i
	}
}

// resolveStep is an element of ResolveExport's resolveSet.
type resolveStep struct {
	m    *Module
	name string
}

// ResolveExport finds the binding that m exports as name
// (https://tc39.es/ecma262/#sec-resolveexport). It reports ok false for no
// binding, or for a circular or, if ambiguous, an ambiguous one. A
// CommonJS or host module exports every name: see ModuleKind.
func (m *Module) ResolveExport(name string) (b Binding, ok, ambiguous bool) {
	return m.resolveExport(name, nil)
}

func (m *Module) resolveExport(name string, set []resolveStep) (Binding, bool, bool) {
	switch m.Kind {
	case CommonJS, HostModule:
		return Binding{Module: m, Name: name}, true, false
	case JSONModule, TextModule, BytesModule:
		return Binding{Module: m, Name: name}, name == "default", false
	}
	for _, s := range set {
		if s.m == m && s.name == name {
			return Binding{}, false, false // a circular import request
		}
	}
	set = append(set, resolveStep{m, name})
	if i, ok := m.exportIndex[name]; ok {
		if i >= 0 {
			return Binding{Module: m, Name: m.LocalExports[i].Local}, true, false
		}
		e := m.IndirectExports[-i-1]
		imported := m.Deps[e.Request]
		if e.Star {
			return Binding{Module: imported, Namespace: true}, true, false
		}
		return imported.resolveExport(e.ImportName, set)
	}
	if name == "default" {
		return Binding{}, false, false
	}
	var star Binding
	found := false
	for _, e := range m.StarExports {
		b, ok, ambiguous := m.Deps[e.Request].resolveExport(name, set)
		if ambiguous {
			return Binding{}, false, true
		}
		if !ok {
			continue
		}
		if !found {
			star, found = b, true
			continue
		}
		if b.Module != star.Module || b.Namespace != star.Namespace || b.Name != star.Name {
			return Binding{}, false, true
		}
	}
	return star, found, false
}

// ExportedNames returns the names m exports
// (https://tc39.es/ecma262/#sec-getexportednames); for a CommonJS or host
// module, only default: the others are known once it has run.
func (m *Module) ExportedNames() []string {
	return m.exportedNames(map[*Module]bool{})
}

func (m *Module) exportedNames(starSet map[*Module]bool) []string {
	if m.Kind != SourceText {
		return []string{"default"}
	}
	if starSet[m] {
		return nil // the starting point of an export * circularity
	}
	starSet[m] = true
	var names []string
	for _, e := range m.LocalExports {
		names = append(names, e.Name)
	}
	for _, e := range m.IndirectExports {
		names = append(names, e.Name)
	}
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for _, e := range m.StarExports {
		for _, n := range m.Deps[e.Request].exportedNames(starSet) {
			if n != "default" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

// checkLinks finds the errors InitializeEnvironment
// (https://tc39.es/ecma262/#sec-source-text-module-record-initialize-environment)
// would throw linking the graph of m: an indirect export or an import
// that does not resolve, or resolves ambiguously. They are SyntaxErrors
// that depend only on the graph, so they are load errors.
func checkLinks(m *Module) error {
	seen := map[*Module]bool{}
	var walk func(m *Module) error
	walk = func(m *Module) error {
		if seen[m] {
			return nil
		}
		seen[m] = true
		for _, d := range m.Deps {
			if err := walk(d); err != nil {
				return err
			}
		}
		if m.Kind != SourceText && m.Kind != CommonJS {
			return nil
		}
		for _, e := range m.IndirectExports {
			if _, ok, ambiguous := m.ResolveExport(e.Name); !ok {
				return m.linkError(e.Request, e.ImportName, ambiguous)
			}
		}
		for _, in := range m.Imports {
			if in.Namespace {
				continue
			}
			if _, ok, ambiguous := m.Deps[in.Request].ResolveExport(in.Name); !ok {
				return m.linkError(in.Request, in.Name, ambiguous)
			}
		}
		return nil
	}
	return walk(m)
}

// linkError returns the LoadError of an import of name through request
// that does not resolve.
func (m *Module) linkError(request int, name string, ambiguous bool) error {
	text := "No matching export in " + strconv.Quote(m.Deps[request].Name) + " for import " + strconv.Quote(name)
	if ambiguous {
		text = "Ambiguous import " + strconv.Quote(name) + " has multiple matching exports"
	}
	return m.requestProblem(request, text)
}

// requestError returns the LoadError of the request that does not resolve,
// for the reason text.
func (m *Module) requestError(request int, text string) error {
	le := m.requestProblem(request, text)
	le.Err = errUnresolved
	return le
}

// requestProblem returns a LoadError at the specifier of request.
func (m *Module) requestProblem(request int, text string) *LoadError {
	p := Problem{File: m.Name, Text: text}
	if request < len(m.requestPos) {
		pos := m.requestPos[request]
		p.Line, p.Column = pos.line, pos.col+1
		if c, err := sourcemap.Parse(bundleName(m.from), m.smap); err == nil {
			if file, _, line, col, ok := c.Source(pos.line, pos.col); ok {
				p.File = displaySource(m.from, bundleName(m.from), file)
				p.Line, p.Column = line, col+1
				p.LineText = lineOf(c.SourceContent(file), line)
			}
		}
	}
	return &LoadError{Problems: []Problem{p}}
}

// genPos is a position in a module's printed code: a line from 1 and a
// column from 0 in UTF-16 code units, as source maps count.
type genPos struct{ line, col int }
