package loader

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// moduleSupported is what esbuild may leave in a module for esm.go: what
// goja supports, and import() and import.meta, which esm.go rewrites.
var moduleSupported = func() map[string]bool {
	m := make(map[string]bool, len(supported))
	for f, v := range supported {
		m[f] = v
	}
	m["dynamic-import"] = true
	m["import-meta"] = true
	return m
}()

// transformed is a module as esbuild printed it alone, with what is found
// in it.
type transformed struct {
	code        string
	smap        []byte
	format      string // esbuild's: "esm", "cjs" or "" for neither
	syntax      *moduleSyntax
	resolutions []resolution // of syntax.requests
}

// transformModule has esbuild print the module src alone (its imports not
// bundled) in format, and, unless it is CommonJS or an ES module printed in
// another format than api.FormatESModule, scans it and resolves its
// requests. With api.FormatDefault a script stays a script; with
// api.FormatESModule a module's exports are all in one export clause at its
// end, each export default a declaration.
func transformModule(cfg *Config, entry, src Source, format api.Format) (*transformed, error) {
	t := &transformed{}
	var failed error
	opts := moduleBuildOptions(cfg, src)
	opts.Bundle = false
	opts.Format = format
	opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
		entryPoint(b, src)
		for _, s := range sourcePlugins(cfg, entry) {
			s(b)
		}
		b.OnEnd(func(res *api.BuildResult) (api.OnEndResult, error) {
			if len(res.Errors) > 0 {
				return api.OnEndResult{}, nil
			}
			failed = t.read(res)
			if src.fsys != nil {
				t.smap = fsSources(t.smap)
			}
			if failed != nil || t.format == "cjs" || t.format == "esm" && format != api.FormatESModule {
				// A module is scanned as esbuild prints it in its own format.
				return api.OnEndResult{}, nil
			}
			if t.syntax, failed = scanModule(t.code, true); failed != nil {
				failed = scanError(src, t.code, t.smap, failed)
				return api.OnEndResult{}, nil
			}
			if failed = checkAttributes(src, t.code, t.smap, t.syntax); failed != nil {
				return api.OnEndResult{}, nil
			}
			t.resolutions = resolveWith(b, cfg, src, t.syntax.requests, api.ResolveJSImportStatement)
			for i, r := range t.resolutions {
				if r.err != nil {
					le := problemAt(src, t.code, t.smap, t.syntax.requestAt[i], r.err.Error()).(*LoadError)
					le.Err = errUnresolved
					t.resolutions[i].err = le
				}
			}
			return api.OnEndResult{}, nil
		})
	}}}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		return nil, loadError(cfg, src, res.Errors)
	}
	if failed != nil {
		return nil, failed
	}
	return t, nil
}

// read takes the code, source map and format of the module from res.
func (t *transformed) read(res *api.BuildResult) error {
	for _, f := range res.OutputFiles {
		switch {
		case strings.HasSuffix(f.Path, ".map"):
			t.smap = f.Contents
		case strings.HasSuffix(f.Path, ".js"):
			t.code = string(f.Contents)
		}
	}
	var meta metafile
	if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
		return err
	}
	for _, in := range meta.Inputs {
		t.format = in.Format
	}
	return nil
}

// fsSources names the modules of an fs.FS in a source map by their paths
// in it.
func fsSources(smap []byte) []byte {
	return []byte(strings.ReplaceAll(string(smap), `"`+fsNamespace+`:`, `"`))
}

// moduleBuildOptions are the options of esbuild builds of the module src.
func moduleBuildOptions(cfg *Config, src Source) api.BuildOptions {
	return api.BuildOptions{
		EntryPoints:   []string{src.path},
		Write:         false,
		Outfile:       outfile(cfg, src),
		AbsWorkingDir: cfg.Dir,
		NodePaths:     cfg.ModulePaths,
		Format:        api.FormatESModule,
		Platform:      api.PlatformBrowser,
		Supported:     moduleSupported,
		Sourcemap:     api.SourceMapExternal,
		Charset:       api.CharsetUTF8,
		LegalComments: api.LegalCommentsNone,
		Metafile:      true,
		LogLevel:      api.LogLevelSilent,
	}
}

// entryPoint is an esbuild plugin step that makes src the build's entry
// point, wherever it is.
func entryPoint(b api.PluginBuild, src Source) {
	b.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(src.path) + "$"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
		if a.Kind != api.ResolveEntryPoint {
			return api.OnResolveResult{}, nil
		}
		return api.OnResolveResult{Path: src.path, Namespace: src.namespace()}, nil
	})
}

// sourcePlugins are the plugin steps that find modules where the entry's
// are: the text of a RunScript entry, the files of an fs.FS, host modules.
func sourcePlugins(cfg *Config, entry Source) []func(api.PluginBuild) {
	steps := []func(api.PluginBuild){decodeFiles}
	if cfg.Module {
		steps = append(steps, hostModules)
	}
	if entry.fsys != nil {
		steps = append(steps, fsFiles(cfg, entry))
	} else if !entry.fromFile {
		steps = append(steps, memoryEntry(entry))
	}
	return steps
}

// resolveWith resolves reqs, made by the module src, as esbuild resolves
// imports of the kind, with the build b's plugins.
func resolveWith(b api.PluginBuild, cfg *Config, src Source, reqs []Request, kind api.ResolveKind) []resolution {
	out := make([]resolution, len(reqs))
	dir := filepath.Dir(src.path)
	if src.fsys != nil {
		dir = cfg.Dir
	}
	for i, r := range reqs {
		with := map[string]string{}
		for _, a := range r.Attributes {
			with[a.Key] = a.Value
		}
		res := b.Resolve(r.Specifier, api.ResolveOptions{
			Importer: src.path, Namespace: src.namespace(), ResolveDir: dir,
			Kind: kind, With: with, PluginData: resolving{},
		})
		switch {
		case len(res.Errors) > 0:
			out[i].err = errors.New(res.Errors[0].Text)
		case res.External || res.Path == "":
			out[i].err = errors.New("Could not resolve " + strconv.Quote(r.Specifier))
		default:
			out[i] = resolution{path: res.Path, namespace: res.Namespace}
		}
	}
	return out
}

// resolveAlone resolves req, made by the module src, as import() does: in
// a build of its own.
func resolveAlone(cfg *Config, entry, src Source, req Request) resolution {
	var r resolution
	const stub = "wsjs:resolve"
	opts := moduleBuildOptions(cfg, src)
	opts.EntryPoints = []string{stub}
	opts.Sourcemap = api.SourceMapNone
	opts.Metafile = false
	opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: "^" + stub + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
			return api.OnResolveResult{Path: stub, Namespace: entryNamespace}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: entryNamespace}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
			empty := ""
			return api.OnLoadResult{Contents: &empty, Loader: api.LoaderJS}, nil
		})
		for _, s := range sourcePlugins(cfg, entry) {
			s(b)
		}
		b.OnEnd(func(*api.BuildResult) (api.OnEndResult, error) {
			r = resolveWith(b, cfg, src, []Request{req}, api.ResolveJSDynamicImport)[0]
			return api.OnEndResult{}, nil
		})
	}}}
	api.Build(opts)
	return r
}

// bundleCommonJS bundles the CommonJS module src with what it requires
// into an ES module whose default export is its module.exports; its
// import() calls are left for the runtime.
func bundleCommonJS(cfg *Config, entry, src Source) (*Module, error) {
	opts := moduleBuildOptions(cfg, src)
	opts.Bundle = true
	opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
		entryPoint(b, src)
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if a.Kind == api.ResolveJSDynamicImport {
				return api.OnResolveResult{Path: a.Path, External: true}, nil
			}
			return api.OnResolveResult{}, nil
		})
		for _, s := range sourcePlugins(cfg, entry) {
			s(b)
		}
	}}}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		return nil, loadError(cfg, src, res.Errors)
	}
	t := &transformed{}
	if err := t.read(&res); err != nil {
		return nil, err
	}
	if src.fsys != nil {
		t.smap = fsSources(t.smap)
	}
	syn, err := scanModule(t.code, true)
	if err != nil {
		return nil, scanError(src, t.code, t.smap, err)
	}
	m, err := compileModule(src, t.code, t.smap, syn)
	if m != nil {
		m.Kind = CommonJS
	}
	return m, err
}

// memoryEntry is an esbuild plugin step that gives the entry of RunScript,
// which lives in memory, a virtual path in its directory, so that its
// relative imports resolve there.
func memoryEntry(src Source) func(api.PluginBuild) {
	filter := "^" + regexp.QuoteMeta(src.path) + "$"
	return func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: filter}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
			return api.OnResolveResult{Path: src.path, Namespace: "file"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: filter, Namespace: "file"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
			return api.OnLoadResult{Contents: &src.contents, ResolveDir: filepath.Dir(src.path), Loader: src.loader}, nil
		})
	}
}
