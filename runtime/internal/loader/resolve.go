package loader

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Module requests are resolved by esbuild's bundler, as it resolves the
// imports of the modules it bundles, many in one build: a build caches the
// directories and package.json files it reads, which the lookups of
// node_modules directories need (PluginBuild.Resolve would read them again
// for each request). The build bundles a module for each importer, at its
// place (its resolve directory), that imports what it requests; the files
// these resolve to are loaded empty, and the build's metafile says where
// each import went. An import that does not resolve fails the build: it is
// then built again without the imports that failed.
//
// Imports of "host:" modules, and relative or absolute imports in a
// module of an fs.FS, need no esbuild: they resolve as its plugins would.

// A resolveJob is the requests of a module to resolve, as imports of kind.
type resolveJob struct {
	src  Source
	reqs []Request
	kind api.ResolveKind
	out  []resolution
}

// resolveNamespace is the namespace of the modules that stand for the
// importers in a resolve build.
const resolveNamespace = "wsjs-resolve"

// resolveAll resolves the requests of jobs.
func resolveAll(cfg *Config, entry Source, jobs []*resolveJob) {
	var pending []*resolveJob
	for _, j := range jobs {
		j.out = make([]resolution, len(j.reqs))
		ask := false
		for i, r := range j.reqs {
			if res, ok := resolveDirect(cfg, j.src, r.Specifier); ok {
				j.out[i] = res
			} else {
				j.out[i].err = errPending
				ask = true
			}
		}
		if ask {
			pending = append(pending, j)
		}
	}
	if len(pending) == 0 {
		return
	}
	if failed := resolveBuild(cfg, entry, pending); failed {
		resolveBuild(cfg, entry, pending) // without the imports that failed
	}
}

// errPending marks the requests a resolve build is to resolve.
var errPending = errors.New("not resolved yet")

// resolveDirect resolves what needs no esbuild: host modules, and relative
// and absolute imports in a module of an fs.FS.
func resolveDirect(cfg *Config, src Source, spec string) (resolution, bool) {
	switch {
	case cfg.Module && strings.HasPrefix(spec, HostPrefix):
		return resolution{path: spec, namespace: hostNamespace}, true
	case src.fsys != nil && (strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/") || spec == "." || spec == ".."):
		p := path.Join(path.Dir(src.path), spec)
		if strings.HasPrefix(spec, "/") {
			p = path.Clean(strings.TrimPrefix(spec, "/"))
		}
		if f, ok := fsLookup(src.fsys, p); ok {
			return resolution{path: f, namespace: fsNamespace}, true
		}
		return resolution{err: fmt.Errorf("cannot find %q in the script's file system", p)}, true
	}
	return resolution{}, false
}

// resolveBuild resolves, in one esbuild build, the requests of jobs that
// are pending; it reports whether some failed, which it leaves with their
// error and no longer pending.
func resolveBuild(cfg *Config, entry Source, jobs []*resolveJob) (failed bool) {
	opts := moduleBuildOptions(cfg, entry)
	opts.Bundle = true
	opts.EntryPoints = []string{resolveNamespace + ":root"}
	opts.Sourcemap = api.SourceMapNone
	opts.Outfile = filepath.Join(cfg.Dir, "wsjs-resolve.js")
	opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: "^" + resolveNamespace + ":"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			return api.OnResolveResult{Path: a.Path, Namespace: resolveNamespace}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: resolveNamespace}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			return importerModule(cfg, jobs, a.Path), nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
			empty := ""
			return api.OnLoadResult{Contents: &empty, Loader: api.LoaderJS}, nil
		})
		if !entry.fromFile && entry.fsys == nil {
			memoryEntry(entry)(b)
		}
	}}}
	res := api.Build(opts)
	for _, e := range res.Errors {
		if l := e.Location; l != nil {
			if j, i, ok := requestAtLine(jobs, l.File, l.Line); ok {
				j.out[i].err = errors.New(e.Text)
				failed = true
			}
		}
	}
	if failed || len(res.Errors) > 0 {
		if !failed {
			for _, j := range jobs {
				for i := range j.out {
					if j.out[i].err == errPending {
						j.out[i].err = errors.New(res.Errors[0].Text)
					}
				}
			}
		}
		return failed
	}
	readResolutions(cfg, jobs, res.Metafile)
	return false
}

// importerModule returns the module that stands, in a resolve build, for
// the importer p names, or the root, which imports them all.
func importerModule(cfg *Config, jobs []*resolveJob, p string) api.OnLoadResult {
	var b strings.Builder
	id := strings.TrimPrefix(p, resolveNamespace+":")
	if id == "root" {
		for k := range jobs {
			fmt.Fprintf(&b, "import %q;\n", resolveNamespace+":"+strconv.Itoa(k))
		}
		s := b.String()
		return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}
	}
	k, _ := strconv.Atoi(id)
	j := jobs[k]
	for i, r := range j.reqs {
		// One import a line: an error's line tells its request.
		if j.out[i].err != errPending {
			b.WriteString(";\n") // resolved already, or failed
			continue
		}
		spec, _ := json.Marshal(r.Specifier)
		attrs := ""
		if len(r.Attributes) > 0 {
			m := map[string]string{}
			for _, a := range r.Attributes {
				m[a.Key] = a.Value
			}
			w, _ := json.Marshal(m)
			attrs = string(w)
		}
		switch {
		case j.kind == api.ResolveJSDynamicImport && attrs != "":
			fmt.Fprintf(&b, "import(%s, { with: %s });\n", spec, attrs)
		case j.kind == api.ResolveJSDynamicImport:
			fmt.Fprintf(&b, "import(%s);\n", spec)
		case attrs != "":
			fmt.Fprintf(&b, "import %s with %s;\n", spec, attrs)
		default:
			fmt.Fprintf(&b, "import %s;\n", spec)
		}
	}
	s := b.String()
	dir := filepath.Dir(j.src.path)
	if j.src.fsys != nil {
		dir = cfg.Dir // bare imports in an fs.FS resolve on disk
	}
	return api.OnLoadResult{Contents: &s, ResolveDir: dir, Loader: api.LoaderJS}
}

// requestAtLine returns the job and request of the import at line of the
// module file of a resolve build.
func requestAtLine(jobs []*resolveJob, file string, line int) (*resolveJob, int, bool) {
	id, ok := strings.CutPrefix(file, resolveNamespace+":"+resolveNamespace+":")
	if !ok {
		return nil, 0, false
	}
	k, err := strconv.Atoi(id)
	if err != nil || k < 0 || k >= len(jobs) || line < 1 || line > len(jobs[k].reqs) {
		return nil, 0, false
	}
	return jobs[k], line - 1, true
}

// buildMeta is what readResolutions reads of a resolve build's metafile.
type buildMeta struct {
	Inputs map[string]struct {
		Imports []struct {
			Path     string            `json:"path"`
			Original string            `json:"original"`
			With     map[string]string `json:"with"`
		} `json:"imports"`
	} `json:"inputs"`
}

// readResolutions takes from meta, the metafile of a resolve build, where
// the pending requests of jobs went.
func readResolutions(cfg *Config, jobs []*resolveJob, meta string) {
	var m buildMeta
	_ = json.Unmarshal([]byte(meta), &m)
	for k, j := range jobs {
		in := m.Inputs[resolveNamespace+":"+resolveNamespace+":"+strconv.Itoa(k)]
		for i, r := range j.reqs {
			if j.out[i].err != errPending {
				continue
			}
			j.out[i].err = errors.New("Could not resolve " + strconv.Quote(r.Specifier))
			for _, imp := range in.Imports {
				orig := imp.Original
				if orig == "" {
					orig = imp.Path
				}
				if orig == r.Specifier && imp.With["type"] == r.Type() {
					j.out[i] = metaPath(cfg, imp.Path)
					break
				}
			}
		}
	}
}

// metaPath returns the resolution a metafile's path names: namespace:path,
// or a file's path relative to the working directory.
func metaPath(cfg *Config, p string) resolution {
	for _, ns := range []string{fsNamespace, hostNamespace} {
		if rest, ok := strings.CutPrefix(p, ns+":"); ok {
			return resolution{path: rest, namespace: ns}
		}
	}
	p = strings.TrimPrefix(p, "file:")
	if !filepath.IsAbs(p) {
		p = filepath.Join(cfg.Dir, filepath.FromSlash(p))
	}
	return resolution{path: p, namespace: "file"}
}
