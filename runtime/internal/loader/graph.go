package loader

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// A Graph holds the modules of a script: the module graph of its entry,
// loaded when the script is, and those that import() asks for as it runs,
// loaded then, each once, for every runtime that runs the script. Modules
// are found where esbuild's bundler would find them (see the package doc),
// compiled one by one (see esm.go), and named by their path: the key of a
// module on disk is its absolute path, that of one in an fs.FS its path
// there after fsNamespace, that of a host module its specifier.
type Graph struct {
	// Entry is the entry module, or nil if the script is a classic script.
	Entry *Module

	cfg     Config
	entry   Source // the script's entry: its fs.FS and, for RunScript, its text
	program string // the name of the program of a classic script

	mu       sync.Mutex
	modules  map[string]*loading // by key
	resolved map[resolveKey]resolution
}

// loading is a module being loaded, or loaded, or one that failed to load.
type loading struct {
	m    *Module
	err  error // of the module or of a module it imports
	done bool  // its graph is loaded, or failed
}

type resolveKey struct {
	from, specifier, typ string
}

// A resolution is where a request resolves to, or why it does not.
type resolution struct {
	path, namespace string
	err             error
}

// errUnresolved is the Err of the LoadError of a specifier that does not
// resolve.
var errUnresolved = errors.New("cannot resolve module specifier")

// IsUnresolved reports whether err is a failure to resolve a specifier,
// rather than one to parse or link what it names.
func IsUnresolved(err error) bool { return errors.Is(err, errUnresolved) }

func newGraph(cfg *Config, entry Source) *Graph {
	return &Graph{cfg: *cfg, entry: entry, modules: map[string]*loading{}, resolved: map[resolveKey]resolution{}}
}

// Import loads the module that req, made by the module from (nil for the
// entry of a classic script), names, and the modules it imports, for
// import(): HostLoadImportedModule
// (https://tc39.es/ecma262/#sec-HostLoadImportedModule). It may be called
// from any goroutine.
func (g *Graph) Import(from *Module, req Request) (*Module, error) {
	src := g.entry
	if from != nil {
		src = from.from
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	key := resolveKey{src.key(), req.Specifier, req.Type()}
	r, ok := g.resolved[key]
	if !ok {
		r = resolveAlone(&g.cfg, g.entry, src, req)
		if r.err != nil {
			r.err = &LoadError{Problems: []Problem{{File: src.name, Text: r.err.Error()}}, Err: errUnresolved}
		}
		g.resolved[key] = r
	}
	if r.err != nil {
		return nil, r.err
	}
	m, err := g.load(src.at(r.path, r.namespace, g.entry), req)
	if err == nil {
		err = g.check(m)
	}
	if err == nil {
		err = checkLinks(m)
	}
	return m, err
}

// load loads the module src with the modules it imports, once; g.mu is
// held.
func (g *Graph) load(src Source, req Request) (*Module, error) {
	key := src.key()
	if t := req.Type(); t != "" {
		key += "#" + t
	}
	if l, ok := g.modules[key]; ok {
		if l.done || l.err != nil {
			return l.m, l.err
		}
		return l.m, nil // in a cycle: its graph is being loaded
	}
	l := &loading{}
	g.modules[key] = l
	m, resolutions, err := g.compile(src, req)
	if err != nil {
		l.err, l.done = err, true
		return nil, err
	}
	m.Key, m.graph = key, g
	l.m = m
	for i, r := range resolutions {
		if r.err != nil {
			l.err = r.err
			break
		}
		dep, err := g.load(src.at(r.path, r.namespace, g.entry), m.Requests[i])
		if err != nil {
			l.err = err
			break
		}
		m.Deps = append(m.Deps, dep)
	}
	l.done = true
	return m, l.err
}

// compile compiles the module src that req asked for, and resolves its
// requests.
func (g *Graph) compile(src Source, req Request) (*Module, []resolution, error) {
	if src.namespace() == hostNamespace {
		return &Module{Name: src.path, Kind: HostModule, Data: strings.TrimPrefix(src.path, HostPrefix), from: src}, nil, nil
	}
	kind := SourceText
	switch t := req.Type(); {
	case t == "json" || t == "" && strings.EqualFold(filepath.Ext(src.path), ".json"):
		kind = JSONModule
	case t == "text":
		kind = TextModule
	case t == "bytes":
		kind = BytesModule
	case t != "":
		return nil, nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Unsupported module type " + strconv.Quote(t)}}, Err: errUnresolved}
	}
	if kind != SourceText {
		data, err := src.read()
		if err != nil {
			return nil, nil, &LoadError{Problems: []Problem{{File: src.name, Text: "cannot read module: " + errText(err)}}, Err: err}
		}
		if kind == JSONModule && !json.Valid([]byte(data)) {
			return nil, nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Invalid JSON module"}}}
		}
		return &Module{Name: src.name, Kind: kind, Data: data, from: src}, nil, nil
	}
	t, err := transformModule(&g.cfg, g.entry, src, api.FormatESModule)
	if err != nil {
		return nil, nil, err
	}
	if t.format == "cjs" {
		m, err := bundleCommonJS(&g.cfg, g.entry, src)
		return m, nil, err
	}
	m, err := compileModule(src, t.code, t.smap, t.syntax)
	return m, t.resolutions, err
}

// read returns the text of the file src.
func (s Source) read() (string, error) {
	if !s.fromFile {
		return s.contents, nil
	}
	var b []byte
	var err error
	if s.fsys != nil {
		b, err = fs.ReadFile(s.fsys, s.path)
	} else {
		b, err = os.ReadFile(s.path)
	}
	return string(b), err
}

// key returns how the module map names the module at src.
func (s Source) key() string {
	if ns := s.namespace(); ns != "file" {
		return ns + ":" + s.path
	}
	return s.path
}

// namespace returns the esbuild namespace of src's path.
func (s Source) namespace() string {
	switch {
	case s.fsys != nil:
		return fsNamespace
	case s.host:
		return hostNamespace
	}
	return "file"
}

// at returns the Source of the module at path in namespace, found from
// s; entry is the script's entry, whose text a module at its path has.
func (s Source) at(path, namespace string, entry Source) Source {
	if namespace == "file" && path == entry.path && entry.fsys == nil {
		return entry
	}
	m := Source{name: path, path: path, fromFile: true}
	switch namespace {
	case fsNamespace:
		m.fsys = entry.fsys
	case hostNamespace:
		m.host = true
	}
	if l, ok := loaders[strings.ToLower(filepath.Ext(path))]; ok {
		m.loader = l
	} else {
		m.loader = api.LoaderJS
	}
	return m
}

// loadGraph loads the script src for a runtime (Config.Module): an ES
// module with the graph of modules it imports, or a classic script (which
// may still import() modules), or a CommonJS module, which is bundled.
func loadGraph(cfg *Config, src Source) (*Script, error) {
	t, err := transformModule(cfg, src, src, api.FormatDefault)
	if err != nil {
		return nil, err
	}
	g := newGraph(cfg, src)
	switch {
	case t.format == "cjs":
		return loadBundle(cfg, src)
	case t.format == "esm" || moduleExt(src.path):
		g.mu.Lock()
		m, err := g.load(src, Request{})
		if err == nil {
			err = g.check(m)
		}
		if err == nil {
			err = checkLinks(m)
		}
		g.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if src.plain && m.Meta && !m.Async && !declaresModule(src.contents) {
			// Neither declarations nor top-level await: a script, in
			// which import.meta is an error.
			return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Cannot use \"import.meta\" outside a module"}}}
		}
		g.Entry = m
		return &Script{Module: true, Graph: g}, nil
	}
	code, smap := applyEdits(t.code, t.smap, t.syntax.edits)
	s, err := compile(src, bundleName(src), code+mapComment(bundleName(src)), smap, false, false)
	if err != nil {
		return nil, err
	}
	if t.syntax.dynamic {
		s.Graph = g // for import()
		g.program = bundleName(src)
	}
	return s, nil
}

// moduleExt reports whether path names an ES module whatever it holds.
func moduleExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mjs", ".mts":
		return true
	}
	return false
}

// check returns the error of a module of the graph of m, if one failed to
// load; g.mu is held.
func (g *Graph) check(m *Module) error {
	seen := map[*Module]bool{}
	var walk func(m *Module) error
	walk = func(m *Module) error {
		if seen[m] {
			return nil
		}
		seen[m] = true
		if l := g.modules[m.Key]; l != nil && l.err != nil {
			return l.err
		}
		for _, d := range m.Deps {
			if err := walk(d); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(m)
}

// ProgramName is the name of the program of a classic script of g, which
// the stack frames of its code have.
func (g *Graph) ProgramName() string { return g.program }
