package loader

import (
	"encoding/hex"
	"encoding/json"
	"path"
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

// transformed is a module as esbuild printed it alone.
type transformed struct {
	code   string
	smap   []byte
	format string // esbuild's: "esm", "cjs" or "" for neither
}

// transformModule has esbuild print the module src alone (its imports not
// bundled) in format. With api.FormatDefault a script stays a script; with
// api.FormatESModule a module's exports are all in one export clause at its
// end, each export default a declaration.
func transformModule(cfg *Config, entry, src Source, format api.Format) (*transformed, error) {
	ts, errs := transformModules(cfg, entry, []Source{src}, format)
	return ts[0], errs[0]
}

// transformModules is transformModule for many modules, in one build: an
// esbuild build costs about as much for one small module as for many. A
// module with an error fails the build: it is then built again without
// those.
func transformModules(cfg *Config, entry Source, srcs []Source, format api.Format) ([]*transformed, []error) {
	out := make([]*transformed, len(srcs))
	errs := make([]error, len(srcs))
	if len(srcs) == 0 {
		return out, errs
	}
	todo := make([]int, len(srcs))
	for i := range todo {
		todo[i] = i
	}
	for len(todo) > 0 {
		res := buildTransforms(cfg, entry, srcs, todo, format)
		if len(res.Errors) == 0 {
			readTransforms(srcs, res, out, errs)
			for _, i := range todo {
				if out[i] == nil && errs[i] == nil {
					errs[i] = &LoadError{Problems: []Problem{{File: srcs[i].name, Text: "esbuild produced no output"}}}
				}
			}
			return out, errs
		}
		var rest []int
		for _, i := range todo {
			if msgs := messagesOf(cfg, srcs[i], res.Errors); len(msgs) > 0 {
				errs[i] = loadError(cfg, srcs[i], msgs)
			} else {
				rest = append(rest, i)
			}
		}
		if len(rest) == len(todo) {
			for _, i := range todo {
				errs[i] = loadError(cfg, srcs[i], res.Errors)
			}
			break
		}
		todo = rest
	}
	return out, errs
}

// buildTransforms builds the modules srcs[i] for i in todo, the output of
// each named after i.
func buildTransforms(cfg *Config, entry Source, srcs []Source, todo []int, format api.Format) api.BuildResult {
	opts := moduleBuildOptions(cfg, entry)
	opts.Bundle = false
	opts.Format = format
	opts.EntryPoints = nil
	opts.Outfile = ""
	opts.Outdir = cfg.Dir
	byPath := map[string]Source{}
	for _, i := range todo {
		in := entryInput(srcs[i].path)
		opts.EntryPointsAdvanced = append(opts.EntryPointsAdvanced, api.EntryPoint{InputPath: in, OutputPath: "wsjs-module-" + strconv.Itoa(i)})
		byPath[in] = srcs[i]
	}
	opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if src, ok := byPath[a.Path]; ok && a.Kind == api.ResolveEntryPoint {
				return api.OnResolveResult{Path: src.path, Namespace: src.namespace()}, nil
			}
			return api.OnResolveResult{}, nil
		})
		for _, s := range sourcePlugins(cfg, entry) {
			s(b)
		}
	}}}
	return api.Build(opts)
}

// messagesOf returns the messages of msgs located in the module src.
func messagesOf(cfg *Config, src Source, msgs []api.Message) []api.Message {
	var mine []api.Message
	for _, m := range msgs {
		l := m.Location
		if l == nil {
			continue
		}
		f := l.File
		if rest, ok := strings.CutPrefix(f, fsNamespace+":"); ok {
			f = rest
		} else if !filepath.IsAbs(f) && src.fsys == nil {
			f = filepath.Join(cfg.Dir, filepath.FromSlash(f))
		}
		if f == src.path {
			mine = append(mine, m)
		}
	}
	return mine
}

// readTransforms takes the outputs of the modules of srcs from res.
func readTransforms(srcs []Source, res api.BuildResult, out []*transformed, errs []error) {
	var meta metafile
	if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return
	}
	formats := map[string]string{}
	for o, m := range meta.Outputs {
		formats[path.Base(o)] = meta.Inputs[m.EntryPoint].Format
	}
	for _, f := range res.OutputFiles {
		name := path.Base(filepath.ToSlash(f.Path))
		js := strings.TrimSuffix(name, ".map")
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(js, "wsjs-module-"), ".js"))
		if err != nil || i < 0 || i >= len(srcs) {
			continue
		}
		if out[i] == nil {
			out[i] = &transformed{format: formats[js]}
		}
		if strings.HasSuffix(name, ".map") {
			out[i].smap = ownSource(f.Contents, srcs[i])
		} else {
			out[i].code = string(f.Contents)
		}
	}
}

// sourcesField matches the sources of a source map esbuild writes.
var sourcesField = regexp.MustCompile(`"sources": \[[^\]]*\]`)

// ownSource returns smap, the source map of a module printed alone, with
// its one source named as goja looks it up from the program's name,
// bundleName(src): by its base name, in the same directory, or by its path
// in an fs.FS, at its root.
func ownSource(smap []byte, src Source) []byte {
	name := path.Base(filepath.ToSlash(src.path))
	if src.fsys != nil {
		name = src.path
	}
	quoted, _ := json.Marshal([]string{name})
	loc := sourcesField.FindIndex(smap)
	if loc == nil {
		return smap
	}
	out := make([]byte, 0, len(smap))
	out = append(out, smap[:loc[0]]...)
	out = append(out, `"sources": `...)
	out = append(out, quoted...)
	return append(out, smap[loc[1]:]...)
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
		EntryPoints:   []string{entryInput(src.path)},
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

// entryStandIn begins the entry point esbuild is given for a path with a
// '*' in it; see entryInput.
const entryStandIn = "wsjs-entry:"

// entryInput is the entry point esbuild is given for the module at path.
// esbuild takes an entry point with a '*' in it for a glob pattern (and
// builds whatever files match, or none), while '*' is legal in a file
// name: such a path is given hex-encoded behind entryStandIn instead, and
// entryPoint resolves it back.
func entryInput(path string) string {
	if !strings.Contains(path, "*") {
		return path
	}
	return entryStandIn + hex.EncodeToString([]byte(path))
}

// entryPoint is an esbuild plugin step that makes src the build's entry
// point, wherever it is.
func entryPoint(b api.PluginBuild, src Source) {
	b.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(entryInput(src.path)) + "$"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
		if a.Kind != api.ResolveEntryPoint {
			return api.OnResolveResult{}, nil
		}
		return api.OnResolveResult{Path: src.path, Namespace: src.namespace()}, nil
	})
}

// sourcePlugins are the plugin steps that find modules where the entry's
// are: the text of a RunScript entry, the files of an fs.FS, host modules.
func sourcePlugins(cfg *Config, entry Source) []func(api.PluginBuild) {
	var steps []func(api.PluginBuild)
	if cfg.Module {
		steps = append(steps, hostModules)
	}
	if entry.fsys != nil {
		steps = append(steps, fsFiles(cfg, entry))
	} else if !entry.fromFile {
		steps = append(steps, memoryEntry(entry))
	}
	return append(steps, decodeFiles)
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
	m, err := compileTransformed(src, t)
	if m != nil {
		m.Kind = CommonJS
	}
	return m, err
}

// compileTransformed scans and compiles the ES module t, printed from src.
func compileTransformed(src Source, t *transformed) (*Module, error) {
	syn, err := scanModule(t.code, true)
	if err != nil {
		return nil, scanError(src, t.code, t.smap, err)
	}
	if err := checkAttributes(src, t.code, t.smap, syn); err != nil {
		return nil, err
	}
	return compileModule(src, t.code, t.smap, syn)
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
			text := hideArgumentsParams(src.contents)
			return api.OnLoadResult{Contents: &text, ResolveDir: filepath.Dir(src.path), Loader: src.loader}, nil
		})
	}
}
