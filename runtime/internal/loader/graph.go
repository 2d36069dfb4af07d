package loader

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
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
	printed  map[string]*transformed // modules esbuild printed already, by key
}

// loading is a module of the graph: loaded, or failed to.
type loading struct {
	src  Source
	req  Request
	m    *Module
	err  error      // why the module, or one of its requests, failed
	deps []*loading // what its requests resolve to
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
	src := g.referrer(from)
	g.mu.Lock()
	defer g.mu.Unlock()
	key := resolveKey{src.key(), req.Specifier, req.Type()}
	r, ok := g.resolved[key]
	if !ok {
		j := &resolveJob{src: src, reqs: []Request{req}, kind: api.ResolveJSDynamicImport}
		resolveAll(&g.cfg, g.entry, []*resolveJob{j})
		if r = j.out[0]; r.err != nil {
			r.err = &LoadError{Problems: []Problem{{File: src.name, Text: r.err.Error()}}, Err: errUnresolved}
		}
		g.resolved[key] = r
	}
	if r.err != nil {
		return nil, r.err
	}
	return g.load(src.at(r.path, r.namespace, g.entry), req)
}

// Loaded returns what Import would for a module that the graph has
// loaded, or for a specifier it failed to resolve, without blocking; ok is
// false if Import has work to do or g is busy.
func (g *Graph) Loaded(from *Module, req Request) (m *Module, err error, ok bool) {
	if !g.mu.TryLock() {
		return nil, nil, false
	}
	defer g.mu.Unlock()
	src := g.referrer(from)
	r, ok := g.resolved[resolveKey{src.key(), req.Specifier, req.Type()}]
	if !ok {
		return nil, nil, false
	}
	if r.err != nil {
		return nil, r.err, true
	}
	l, ok := g.modules[moduleKey(src.at(r.path, r.namespace, g.entry), req)]
	if !ok {
		return nil, nil, false
	}
	if err := graphError(l); err != nil {
		return nil, err, true
	}
	return l.m, nil, l.m != nil
}

// referrer returns where the module from is, or the entry, for nil.
func (g *Graph) referrer(from *Module) Source {
	if from != nil {
		return from.from
	}
	return g.entry
}

// moduleKey returns the key of the module src, imported as req asks: a
// module imported with a type is another module than the one imported
// without.
func moduleKey(src Source, req Request) string {
	if t := req.Type(); t != "" {
		return src.key() + "#" + t
	}
	return src.key()
}

// load loads the module src that req asks for with the modules it
// imports, and checks that they link; g.mu is held. The graph is loaded a
// level at a time: the modules of a level are compiled in parallel, then
// their requests resolved in one go.
func (g *Graph) load(src Source, req Request) (*Module, error) {
	root, fresh := g.loading(src, req)
	if fresh {
		var added []*loading
		for level := []*loading{root}; len(level) > 0; {
			added = append(added, level...)
			g.compileAll(level)
			level = g.resolveLevel(level)
		}
		for _, l := range added {
			if l.m != nil && l.err == nil {
				for _, d := range l.deps {
					l.m.Deps = append(l.m.Deps, d.m)
				}
			}
		}
	}
	if err := graphError(root); err != nil {
		return nil, err
	}
	return root.m, checkLinks(root.m)
}

// loading returns the module of the graph that req asks for at src, new
// (fresh) if it was not there.
func (g *Graph) loading(src Source, req Request) (l *loading, fresh bool) {
	key := moduleKey(src, req)
	if l, ok := g.modules[key]; ok {
		return l, false
	}
	l = &loading{src: src, req: req}
	g.modules[key] = l
	return l, true
}

// compileAll compiles the modules of level: those esbuild prints in one
// build, then each in parallel.
func (g *Graph) compileAll(level []*loading) {
	var already, toPrint []*loading
	var done []*transformed
	var srcs []Source
	for _, l := range level {
		if t := g.printed[l.src.key()]; t != nil && l.req.Type() == "" {
			already, done = append(already, l), append(done, t)
			continue
		}
		if l.m, l.err = g.synthetic(l.src, l.req); l.m == nil && l.err == nil {
			toPrint, srcs = append(toPrint, l), append(srcs, l.src)
		}
	}
	ts, errs := transformModules(&g.cfg, g.entry, srcs, api.FormatESModule)
	printed := append(already, toPrint...)
	ts, errs = append(done, ts...), append(make([]error, len(done)), errs...)
	var wg sync.WaitGroup
	sem := make(chan struct{}, goruntime.GOMAXPROCS(0))
	for k, l := range printed {
		if l.err = errs[k]; l.err != nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ts[k].format == "cjs" {
				l.m, l.err = bundleCommonJS(&g.cfg, g.entry, l.src)
			} else {
				l.m, l.err = compileTransformed(l.src, ts[k])
			}
		}()
	}
	wg.Wait()
	for _, l := range level {
		if l.m != nil {
			l.m.Key, l.m.graph = moduleKey(l.src, l.req), g
		}
	}
}

// resolveLevel resolves the requests of the modules of a level, and
// returns the modules they import that are new: the next level.
func (g *Graph) resolveLevel(level []*loading) []*loading {
	var jobs []*resolveJob
	var of []*loading
	for _, l := range level {
		if l.err == nil && len(l.m.Requests) > 0 {
			jobs = append(jobs, &resolveJob{src: l.src, reqs: l.m.Requests, kind: api.ResolveJSImportStatement})
			of = append(of, l)
		}
	}
	resolveAll(&g.cfg, g.entry, jobs)
	var next []*loading
	for k, j := range jobs {
		l := of[k]
		for i, r := range j.out {
			if r.err != nil {
				l.err = l.m.requestError(i, r.err.Error())
				break
			}
			d, fresh := g.loading(l.src.at(r.path, r.namespace, g.entry), l.m.Requests[i])
			l.deps = append(l.deps, d)
			if fresh {
				next = append(next, d)
			}
		}
	}
	return next
}

// graphError returns the error of a module of the graph of l, the first
// in the order of evaluation, if one failed to load.
func graphError(l *loading) error {
	seen := map[*loading]bool{}
	var walk func(l *loading) error
	walk = func(l *loading) error {
		if seen[l] {
			return nil
		}
		seen[l] = true
		for _, d := range l.deps {
			if err := walk(d); err != nil {
				return err
			}
		}
		return l.err
	}
	return walk(l)
}

// synthetic returns the module src that req asks for if it is no ES
// module: a host module, JSON, text or bytes, or the error that it cannot
// be loaded; it returns neither for a module esbuild is to print.
func (g *Graph) synthetic(src Source, req Request) (*Module, error) {
	if src.namespace() == hostNamespace {
		return &Module{Name: src.path, Kind: HostModule, Data: strings.TrimPrefix(src.path, HostPrefix), from: src}, nil
	}
	var kind ModuleKind
	switch t := req.Type(); {
	case t == "json" || t == "" && strings.EqualFold(filepath.Ext(src.path), ".json"):
		kind = JSONModule
	case t == "text":
		kind = TextModule
	case t == "bytes":
		kind = BytesModule
	case t != "":
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Unsupported module type " + strconv.Quote(t)}}, Err: errUnresolved}
	default:
		return nil, nil
	}
	data, err := src.read()
	if err != nil {
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "cannot read module: " + errText(err)}}, Err: err}
	}
	if kind == JSONModule && !json.Valid([]byte(data)) {
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Invalid JSON module"}}}
	}
	return &Module{Name: src.name, Kind: kind, Data: data, from: src}, nil
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
	if err != nil {
		return "", err
	}
	return string(b), checkNesting(s.name, string(b))
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
	// Printed as an ES module first, as most entries are; a script, or
	// CommonJS, is printed again as is, if need be.
	t, err := transformModule(cfg, src, src, api.FormatESModule)
	if err == nil && (t.format == "esm" || moduleExt(src.path)) {
		return loadEntry(cfg, src, t)
	}
	if t, err = transformModule(cfg, src, src, api.FormatDefault); err != nil {
		return nil, err
	}
	if t.format == "cjs" {
		return loadBundle(cfg, src)
	}
	g := newGraph(cfg, src)
	syn, err := scanModule(t.code, false)
	if err != nil {
		return nil, scanError(src, t.code, t.smap, err)
	}
	code, smap := applyEdits(t.code, t.smap, syn.edits)
	s, err := compile(src, bundleName(src), code+mapComment(bundleName(src)), smap, false, false)
	if err != nil {
		return nil, err
	}
	if syn.dynamic {
		s.Graph = g // for import()
		g.program = bundleName(src)
	}
	return s, nil
}

// loadEntry loads the graph of the ES module src, which esbuild printed as t.
func loadEntry(cfg *Config, src Source, t *transformed) (*Script, error) {
	g := newGraph(cfg, src)
	g.mu.Lock()
	g.printed = map[string]*transformed{src.key(): t}
	m, err := g.load(src, Request{})
	g.printed = nil
	g.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if src.plain && m.Meta && !m.Async && !declaresModule(src.contents) {
		// Neither declarations nor top-level await: a script, in which
		// import.meta is an error.
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "Cannot use \"import.meta\" outside a module"}}}
	}
	g.Entry = m
	return &Script{Module: true, Graph: g}, nil
}

// moduleExt reports whether path names an ES module whatever it holds.
func moduleExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mjs", ".mts":
		return true
	}
	return false
}

// ProgramName is the name of the program of a classic script of g, which
// the stack frames of its code have.
func (g *Graph) ProgramName() string { return g.program }
