package loader

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// The names the entry function of a CommonJS bundle (Config.Module) and
// module functions (esm.go) use. No script can declare them: esbuild
// renames a script's own declarations that would collide with free names
// such as these.
const (
	exportsName = "__wsjs$exports" // the entry's exports, bound by GlobalName
	hostFunc    = "__wsjs$host"    // the parameter that host modules are asked of
)

// Namespaces of the modules esbuild gets from plugins.
const (
	hostNamespace = "wsjs-host"
	fsNamespace   = "wsjs-fs"
)

// hostModules is an esbuild plugin step that turns each import of a
// "host:" module into a CommonJS module whose exports are what the entry
// function's parameter returns for its name, asked when the module is
// first imported.
func hostModules(b api.PluginBuild) {
	b.OnResolve(api.OnResolveOptions{Filter: "^" + HostPrefix}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
		return api.OnResolveResult{Path: a.Path, Namespace: hostNamespace}, nil
	})
	b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: hostNamespace}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
		name, _ := json.Marshal(strings.TrimPrefix(a.Path, HostPrefix))
		js := "module.exports = " + hostFunc + "(" + string(name) + ");"
		return api.OnLoadResult{Contents: &js, Loader: api.LoaderJS}, nil
	})
}

// NewFSSource returns the script at name in fsys (a slash-separated path, as
// fs.ValidPath says). Its relative imports are read from fsys too; bare
// imports (npm packages) resolve on disk, from Config.Dir and
// Config.ModulePaths.
func NewFSSource(fsys fs.FS, name string) (Source, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Source{}, &LoadError{Problems: []Problem{{File: name, Text: "cannot read script: " + errText(err)}}, Err: err}
	}
	s, err := NewSource(name, name, string(b), true)
	s.fsys = fsys
	return s, err
}

// outfile is the bundle's path, which esbuild names the source map's
// sources relative to.
func outfile(cfg *Config, src Source) string {
	if src.fsys != nil {
		return filepath.Join(cfg.Dir, filepath.FromSlash(src.path)) + BundleSuffix
	}
	return src.path + BundleSuffix
}

// fsExtensions are tried, in order, for an import in an fs.FS that names no
// file, as esbuild's resolver does on disk.
var fsExtensions = []string{".ts", ".tsx", ".js", ".mjs", ".cjs", ".mts", ".cts", ".jsx", ".json"}

// fsFiles is an esbuild plugin step that reads the entry of src and the
// modules it imports by relative or absolute path from src's fs.FS.
func fsFiles(cfg *Config, src Source) func(api.PluginBuild) {
	return func(b api.PluginBuild) {
		entry := "^" + regexp.QuoteMeta(src.path) + "$"
		b.OnResolve(api.OnResolveOptions{Filter: entry}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if a.Namespace == fsNamespace {
				return api.OnResolveResult{}, nil // a bare import that looks like it
			}
			return api.OnResolveResult{Path: src.path, Namespace: fsNamespace}, nil
		})
		b.OnResolve(api.OnResolveOptions{Filter: `^\.{0,2}/`, Namespace: fsNamespace}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			p := path.Join(path.Dir(a.Importer), a.Path)
			if strings.HasPrefix(a.Path, "/") {
				p = path.Clean(strings.TrimPrefix(a.Path, "/"))
			}
			if f, ok := fsLookup(src.fsys, p); ok {
				return api.OnResolveResult{Path: f, Namespace: fsNamespace}, nil
			}
			return api.OnResolveResult{}, fmt.Errorf("cannot find %q in the script's file system", p)
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: fsNamespace}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			text := src.contents
			if a.Path != src.path {
				data, err := fs.ReadFile(src.fsys, a.Path)
				if err != nil {
					return api.OnLoadResult{}, errors.New(errText(err))
				}
				text = asText(string(data))
				if err := checkNesting(a.Path, text); err != nil {
					return api.OnLoadResult{}, err
				}
			}
			l, ok := loaders[strings.ToLower(path.Ext(a.Path))]
			if !ok {
				l = api.LoaderJS
				if strings.HasSuffix(a.Path, ".json") {
					l = api.LoaderJSON
				}
			}
			text = hideArgumentsParams(text)
			return api.OnLoadResult{Contents: &text, Loader: l, ResolveDir: cfg.Dir}, nil
		})
	}
}

// fsLookup finds the file an import of p names in fsys: p itself, p with
// one of fsExtensions, a TypeScript file imported by its .js name, or an
// index file in the directory p.
func fsLookup(fsys fs.FS, p string) (string, bool) {
	try := []string{p}
	for _, ext := range fsExtensions {
		try = append(try, p+ext)
	}
	if base, ok := strings.CutSuffix(p, ".js"); ok {
		try = append(try, base+".ts", base+".tsx")
	}
	for _, ext := range fsExtensions {
		try = append(try, path.Join(p, "index"+ext))
	}
	for _, f := range try {
		if !fs.ValidPath(f) {
			continue
		}
		if st, err := fs.Stat(fsys, f); err == nil && !st.IsDir() {
			return f, true
		}
	}
	return "", false
}
