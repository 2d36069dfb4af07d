package loader

import (
	"strconv"

	"github.com/evanw/esbuild/pkg/api"
)

// A bundler resolves every import() with a string literal when it builds,
// and fails the whole build when one does not resolve: a script that has
// import("node:path") on a path it never takes would not load at all. In a
// browser the same script runs, and only an import() that runs rejects its
// promise, with a TypeError (HTML's "fetch a single module script" fails, and
// https://html.spec.whatwg.org/multipage/webappapis.html#hostloadimportedmodule
// rejects the promise with it). So when esbuild cannot resolve the specifier
// of an import(), the plugin step below resolves it to a module of its own
// that stands for the failure: a CommonJS module whose module.exports throws
// that TypeError when read. esbuild turns import() of a CommonJS module into
// a promise reaction that requires it and reads module.exports each time,
// so each import() that runs rejects, not only the first. Static imports
// still fail the build, as a module graph with an unresolvable import fails
// to fetch.

// unresolvedNamespace is the esbuild namespace of the modules standing for
// specifiers that do not resolve; a module's path is the specifier.
const unresolvedNamespace = "wsjs-unresolved"

// resolving marks the resolve calls the plugin step makes itself.
type resolving struct{}

// rejectUnresolvedImports is the esbuild plugin step described above.
func rejectUnresolvedImports(b api.PluginBuild) {
	b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
		if args.Kind != api.ResolveJSDynamicImport || args.PluginData == (resolving{}) {
			return api.OnResolveResult{}, nil
		}
		res := b.Resolve(args.Path, api.ResolveOptions{
			Importer: args.Importer, Namespace: args.Namespace, ResolveDir: args.ResolveDir,
			Kind: args.Kind, With: args.With, PluginData: resolving{},
		})
		if len(res.Errors) == 0 {
			return api.OnResolveResult{}, nil // resolved again, as if the step were not here
		}
		return api.OnResolveResult{Path: args.Path, Namespace: unresolvedNamespace}, nil
	})
	b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: unresolvedNamespace}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
		msg := strconv.Quote("Failed to resolve module specifier " + strconv.Quote(args.Path))
		js := `Object.defineProperty(module, "exports", { get() { throw new TypeError(` + msg + `) } });`
		return api.OnLoadResult{Contents: &js, Loader: api.LoaderJS}, nil
	})
}
