package loader

import (
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// A bundler resolves every import() with a string literal when it builds,
// and fails the whole build when one does not resolve or the module it names
// cannot be built: a script that has import("node:path") on a path it never
// takes would not load at all. In a browser the same script runs, and only an
// import() that runs rejects its promise: with a TypeError when the specifier
// does not resolve or the module cannot be fetched, with the SyntaxError of
// parsing or linking the module graph otherwise (HTML's
// https://html.spec.whatwg.org/multipage/webappapis.html#hostloadimportedmodule
// and ECMA-262's ContinueDynamicImport,
// https://tc39.es/ecma262/#sec-ContinueDynamicImport).
//
// So the plugin step below resolves the specifier of an import() that does
// not resolve to a module of its own that stands for the failure: a CommonJS
// module whose module.exports throws the TypeError when read. esbuild turns
// import() of a CommonJS module into a promise reaction that requires it and
// reads module.exports each time, so each import() that runs rejects, not
// only the first. When a build fails, Load builds again with checkModules
// set: each module an import() names is then built alone first, and one
// that fails stands for its failure too. Static imports still fail the
// build, as a module graph with one that fails does not load.

// unresolvedNamespace is the esbuild namespace of the modules standing for
// failures; a module's path is the specifier, its plugin data the error.
const unresolvedNamespace = "wsjs-unresolved"

// resolving marks the resolve calls the plugin step makes itself.
type resolving struct{}

// importFailure is how an import() fails: the error's constructor and message.
type importFailure struct{ name, message string }

// dynamicImports is the plugin step of one Load.
type dynamicImports struct {
	cfg          *Config
	checkModules bool
	// checked holds how each module built alone failed, nil for one that
	// built, or is being built.
	checked map[string]*importFailure
}

func (d *dynamicImports) setup(b api.PluginBuild) {
	b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
		if args.Kind != api.ResolveJSDynamicImport || args.PluginData == (resolving{}) {
			return api.OnResolveResult{}, nil
		}
		res := b.Resolve(args.Path, api.ResolveOptions{
			Importer: args.Importer, Namespace: args.Namespace, ResolveDir: args.ResolveDir,
			Kind: args.Kind, With: args.With, PluginData: resolving{},
		})
		f := &importFailure{"TypeError", "Failed to resolve module specifier " + strconv.Quote(args.Path)}
		if len(res.Errors) == 0 {
			if f = d.check(res); f == nil {
				return api.OnResolveResult{}, nil // resolved again, as if the step were not here
			}
		}
		return api.OnResolveResult{Path: args.Path, Namespace: unresolvedNamespace, PluginData: f}, nil
	})
	b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: unresolvedNamespace}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
		f := args.PluginData.(*importFailure)
		js := `Object.defineProperty(module, "exports", { get() { throw new ` + f.name + `(` + strconv.Quote(f.message) + `) } });`
		return api.OnLoadResult{Contents: &js, Loader: api.LoaderJS}, nil
	})
}

// check builds the module res names alone, when checkModules is set, and
// returns how that fails, or nil.
func (d *dynamicImports) check(res api.ResolveResult) *importFailure {
	if !d.checkModules || res.External || res.Namespace != "file" {
		return nil
	}
	if f, ok := d.checked[res.Path]; ok {
		return f
	}
	d.checked[res.Path] = nil // a cycle of import() builds each once
	out := api.Build(api.BuildOptions{
		EntryPoints:   []string{entryInput(res.Path)},
		Bundle:        true,
		Write:         false,
		Format:        api.FormatESModule,
		AbsWorkingDir: d.cfg.Dir,
		NodePaths:     d.cfg.ModulePaths,
		Platform:      api.PlatformBrowser,
		Supported:     supported,
		LogLevel:      api.LogLevelSilent,
		Plugins: []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
			entryPoint(b, Source{path: res.Path, fromFile: true})
			decodeFiles(b)
			d.setup(b)
		}}},
	})
	var f *importFailure
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		f = &importFailure{"SyntaxError", e.Text}
		if strings.HasPrefix(e.Text, "Could not resolve") {
			f.name = "TypeError"
		}
		if l := e.Location; l != nil {
			f.message = l.File + ":" + strconv.Itoa(l.Line) + ":" + strconv.Itoa(l.Column+1) + ": " + e.Text
		}
	}
	d.checked[res.Path] = f
	return f
}
