package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
	"github.com/go-sourcemap/sourcemap"

	"github.com/wsjs/wsjs/bindings/encoding"
)

// gojaUnsupported lists the esbuild JS feature names goja lacks; esbuild lowers them.
var gojaUnsupported = []string{
	"async-generator",
	"decorators",
	"dynamic-import",
	"for-await",
	"import-meta",
	"regexp-match-indices",
	"regexp-set-notation",
	"regexp-unicode-property-escapes",
	"unicode-escapes",
	"using",
}

var supported = func() map[string]bool {
	m := make(map[string]bool, len(gojaUnsupported))
	for _, f := range gojaUnsupported {
		m[f] = false
	}
	return m
}()

// loaders maps the file extensions a script may have to esbuild loaders.
var loaders = map[string]api.Loader{
	".js":  api.LoaderJS,
	".mjs": api.LoaderJS,
	".cjs": api.LoaderJS,
	".jsx": api.LoaderJSX,
	".ts":  api.LoaderTS,
	".mts": api.LoaderTS,
	".cts": api.LoaderTS,
	".tsx": api.LoaderTSX,
}

// A Source is a script to load: NewSource and ReadSource make one.
type Source struct {
	name     string // how positions in the entry are shown
	path     string // absolute path of the entry, real for files, virtual for RunScript
	contents string
	fromFile bool
	fsys     fs.FS // where the entry and its relative imports are, if not on disk
	loader   api.Loader
	plain    bool // may run as is if goja parses it
	host     bool // a host module (the path is its specifier)
}

// A Script is a compiled script ready to run, in any number of goja runtimes.
type Script struct {
	// Program is the script's program, unless it is a module graph.
	Program *goja.Program
	// Async reports that the program's completion value is the promise of an async
	// module body (top-level await).
	Async bool
	// Module reports that the script has exports: it is a module graph,
	// or a bundle whose program's completion value is the entry function
	// (see Config.Module); otherwise it is a classic script.
	Module bool
	// Graph, if not nil, holds the modules of the script: its entry
	// module, which a runtime links and evaluates (Program is nil then),
	// or, for a classic script that calls import(), none yet.
	Graph *Graph
}

// Config says where imports resolve.
type Config struct {
	Dir         string   // absolute working directory
	ModulePaths []string // extra directories searched for bare imports, absolute
	// Module loads a script for a runtime: an ES module with its module
	// graph (Script.Graph), which the runtime links and evaluates, a
	// classic script as is, and a CommonJS module as a bundle whose program
	// evaluates to an entry function: called with the function that
	// imports of "host:" modules call, it runs the script and returns
	// module.exports. Without it, every script with imports is bundled
	// into one classic script, as workers' scripts are.
	Module bool
	// Classic makes the entry a classic script, as a browser's script
	// element without type=module: an import or export declaration in it
	// is a syntax error instead of making it a module. import() still
	// loads modules.
	Classic bool
}

// HostPrefix starts the imports of modules the host provides: a script's
// import of "host:kv" gets the module the runtime's Options.Modules has
// for "kv".
const HostPrefix = "host:"

// NewSource returns the script contents named name, at absPath (a real file's path
// when fromFile, or a virtual path whose directory its imports resolve against). Its
// extension picks the syntax; a name without one is JavaScript.
func NewSource(name, absPath, contents string, fromFile bool) (Source, error) {
	ext := strings.ToLower(filepath.Ext(absPath))
	s := Source{name: name, path: absPath, contents: asText(contents), fromFile: fromFile}
	if err := checkNesting(name, s.contents); err != nil {
		return s, err
	}
	if ext == "" && !fromFile {
		ext = ".js"
	}
	l, ok := loaders[ext]
	if !ok {
		if fromFile && ext == "" {
			// A file without extension, such as an executable script with a hashbang.
			l, ext = api.LoaderJS, ".js"
		} else {
			return s, &LoadError{Problems: []Problem{{File: name, Text: fmt.Sprintf("unsupported script type %q (want .js, .mjs, .cjs, .jsx, .ts, .mts, .cts or .tsx)", ext)}}}
		}
	}
	s.loader = l
	s.plain = ext == ".js"
	return s, nil
}

// asText decodes a script's bytes as UTF-8, as HTML decodes a script it fetches
// (Encoding Standard "UTF-8 decode", a byte order mark kept for the parsers to skip):
// a sequence that is not UTF-8 becomes U+FFFD. Only then may esbuild see it; given
// some invalid sequences, its source map writer never returns.
func asText(b string) string {
	if utf8.ValidString(b) {
		return b
	}
	return encoding.UTF8DecodeWithoutBOM([]byte(b))
}

// decodeFiles is an esbuild plugin step that reads the JavaScript and TypeScript
// files a bundle imports through asText when they are not UTF-8, and
// hideArgumentsParams (argsparam.go); esbuild reads the others itself. A
// file that nests too deeply, JSON too, fails the build (nesting.go). It
// comes after the steps that load an entry held in memory, whose path may
// be that of a file on disk.
func decodeFiles(b api.PluginBuild) {
	b.OnLoad(api.OnLoadOptions{Filter: `\.([mc]?[jt]sx?|json)$`, Namespace: "file"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
		data, err := os.ReadFile(args.Path)
		if err != nil {
			return api.OnLoadResult{}, nil // esbuild reads it, and reports the error
		}
		text := asText(string(data))
		if p := nestingProblem(text); p != nil {
			return api.OnLoadResult{Errors: []api.Message{{Text: p.Text, Location: &api.Location{File: args.Path, Line: p.Line, Column: p.Column - 1}}}}, nil
		}
		if strings.HasSuffix(args.Path, ".json") {
			return api.OnLoadResult{}, nil
		}
		hidden := hideArgumentsParams(text)
		if utf8.Valid(data) && hidden == text {
			return api.OnLoadResult{}, nil
		}
		l, ok := loaders[strings.ToLower(filepath.Ext(args.Path))]
		if !ok {
			return api.OnLoadResult{}, nil
		}
		return api.OnLoadResult{Contents: &hidden, Loader: l}, nil
	})
}

// Load compiles src, bundling its imports as the package doc says.
func Load(cfg *Config, src Source) (*Script, error) {
	if cfg.Classic {
		if at, ok := moduleDeclaration(src.contents); ok {
			return nil, classicError(src, at)
		}
	}
	if src.plain && !misreadOctal(src.contents) {
		// A classic script goja can parse runs as is.
		if ast, scan, err := parse(src.name, src.contents); err == nil {
			if err := checkRegExps(scan, sourceSites{src.name, src.contents}); err != nil {
				return nil, err
			}
			prg, err := compileTree(src.name, ast, scan, false)
			if err == nil {
				return &Script{Program: prg}, nil
			}
			// Early errors goja finds while compiling: let esbuild report them with
			// context; fall through.
		}
		if cfg.Module {
			if s, ok := loadClassicImport(cfg, src); ok {
				return s, nil
			}
		}
		// A syntax error, or a panic of goja's parser: esbuild reports the one
		// with context and re-prints what triggers the other.
	}
	if cfg.Module {
		return loadGraph(cfg, src)
	}
	return loadBundle(cfg, src)
}

// misreadOctal reports whether src may hold a legacy octal escape goja
// misreads: \4 to \7 followed by two octal digits, which goja's lexer takes
// as one escape of three digits where the escape has two
// (https://tc39.es/ecma262/#prod-annexB-LegacyOctalEscapeSequence: "\400"
// is a space then "0"). Such a script goes to esbuild, which prints the
// string as the standard reads it; a match outside a string literal (in a
// comment, a regular expression) only costs that.
func misreadOctal(src string) bool {
	for i := 0; ; {
		j := strings.IndexByte(src[i:], '\\')
		if j < 0 || i+j+3 >= len(src) {
			return false
		}
		i += j
		switch c := src[i+1]; {
		case c >= '4' && c <= '7' && isOctalDigit(src[i+2]) && isOctalDigit(src[i+3]):
			return true
		case c == '\\':
			i += 2 // an escaped backslash
		default:
			i++
		}
	}
}

func isOctalDigit(c byte) bool { return c >= '0' && c <= '7' }

// loadBundle bundles src and its imports into one program.
func loadBundle(cfg *Config, src Source) (*Script, error) {
	d := &dynamicImports{cfg: cfg}
	res := build(cfg, src, false, d)
	tla := false
	if len(res.Errors) > 0 && needsTLA(res.Errors) {
		tla = true
		if r := build(cfg, src, true, d); len(r.Errors) == 0 || !needsTLA(r.Errors) {
			res = r
		}
	}
	if len(res.Errors) > 0 {
		// Perhaps a module only an import() names fails: see dynimport.go.
		d = &dynamicImports{cfg: cfg, checkModules: true, checked: map[string]*importFailure{}}
		if r := build(cfg, src, tla, d); len(r.Errors) == 0 {
			res = r
		}
	}
	if len(res.Errors) > 0 {
		return nil, loadError(cfg, src, res.Errors)
	}
	return compileBundle(cfg, src, res, tla)
}

func needsTLA(msgs []api.Message) bool {
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, "Top-level await is currently not supported") {
			return true
		}
	}
	return false
}

const (
	entryNamespace = "wsjs"
	entryPath      = "wsjs:entry"
)

func build(cfg *Config, src Source, tla bool, d *dynamicImports) api.BuildResult {
	opts := api.BuildOptions{
		EntryPoints:   []string{entryInput(src.path)},
		Bundle:        true,
		Write:         false,
		Outfile:       outfile(cfg, src),
		AbsWorkingDir: cfg.Dir,
		NodePaths:     cfg.ModulePaths,
		Format:        api.FormatIIFE,
		Platform:      api.PlatformBrowser,
		Supported:     supported,
		Sourcemap:     api.SourceMapLinked,
		Charset:       api.CharsetUTF8,
		LegalComments: api.LegalCommentsNone,
		Metafile:      true,
		LogLevel:      api.LogLevelSilent,
	}
	setup := []func(api.PluginBuild){d.setup}
	if entryInput(src.path) != src.path {
		setup = append([]func(api.PluginBuild){func(b api.PluginBuild) { entryPoint(b, src) }}, setup...)
	}
	if cfg.Module {
		// The program evaluates to the entry function (see Config.Module),
		// whose parameter imports of host modules call.
		opts.GlobalName = exportsName
		opts.Banner = map[string]string{"js": "(function (" + hostFunc + ") {"}
		opts.Footer = map[string]string{"js": "return " + exportsName + ";\n})"}
		setup = append(setup, hostModules)
	}
	if src.fsys != nil {
		setup = append(setup, fsFiles(cfg, src))
	} else if !src.fromFile {
		// The entry of RunScript lives in memory, at a virtual path in its directory
		// so that its relative imports resolve there.
		filter := "^" + regexp.QuoteMeta(src.path) + "$"
		setup = append(setup, func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: filter}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: src.path, Namespace: "file"}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: filter, Namespace: "file"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				text := hideArgumentsParams(src.contents)
				return api.OnLoadResult{Contents: &text, ResolveDir: filepath.Dir(src.path), Loader: src.loader}, nil
			})
		})
	}
	if tla {
		// The entry is imported by a virtual module, so the bundle has no exports, and
		// the ES module output is wrapped in an async function: a classic script whose
		// completion value is the promise of the module body.
		opts.EntryPoints = []string{entryPath}
		opts.Format = api.FormatESModule
		opts.GlobalName = ""
		opts.Banner = map[string]string{"js": "(async () => {"}
		opts.Footer = map[string]string{"js": "})()"}
		importEntry := "import " + strconv.Quote(src.path) + ";"
		if cfg.Module {
			// The async function is the entry function; its promise
			// resolves to the entry's namespace.
			opts.Banner = map[string]string{"js": "(async function (" + hostFunc + ") {\nlet " + exportsName + ";"}
			opts.Footer = map[string]string{"js": "return " + exportsName + ";\n})"}
			importEntry = "import * as ns from " + strconv.Quote(src.path) + ";\n" + exportsName + " = ns;"
		}
		setup = append(setup, func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(entryPath) + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: entryPath, Namespace: entryNamespace}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: entryNamespace}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				return api.OnLoadResult{Contents: &importEntry, ResolveDir: filepath.Dir(src.path), Loader: api.LoaderJS}, nil
			})
		})
	}
	// Last: an entry held in memory at the path of a file on disk is the
	// entry's text.
	setup = append(setup, decodeFiles)
	if len(setup) > 0 {
		opts.Plugins = []api.Plugin{{Name: "wsjs", Setup: func(b api.PluginBuild) {
			for _, s := range setup {
				s(b)
			}
		}}}
	}
	return api.Build(opts)
}

type metafile struct {
	Inputs map[string]struct {
		Format string `json:"format"`
	} `json:"inputs"`
	Outputs map[string]struct {
		EntryPoint string `json:"entryPoint"`
	} `json:"outputs"`
}

func compileBundle(cfg *Config, src Source, res api.BuildResult, tla bool) (*Script, error) {
	var code, smap []byte
	for _, f := range res.OutputFiles {
		switch {
		case strings.HasSuffix(f.Path, ".map"):
			smap = f.Contents
		case strings.HasSuffix(f.Path, ".js"):
			code = f.Contents
		}
	}
	if code == nil {
		return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "esbuild produced no output"}}}
	}
	strict := tla
	if !tla {
		var meta metafile
		if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
			return nil, &LoadError{Problems: []Problem{{File: src.name, Text: "reading esbuild metafile: " + err.Error()}}}
		}
		var entry string
		for _, o := range meta.Outputs {
			if o.EntryPoint != "" {
				entry = o.EntryPoint
			}
		}
		format := meta.Inputs[entry].Format
		strict = format == "esm"
		if format == "cjs" {
			if err := strayReturn(cfg, src); err != nil {
				return nil, err
			}
		}
		if format == "" && len(meta.Inputs) == 1 {
			// No imports, no exports: keep classic script semantics (globals).
			return transform(src)
		}
	}
	if src.fsys != nil {
		// Name the modules of an fs.FS by their paths in it.
		smap = bytes.ReplaceAll(smap, []byte(`"`+fsNamespace+`:`), []byte(`"`))
	}
	l, err := compile(src, bundleName(src), string(code), smap, strict, tla)
	if l != nil {
		l.Module = cfg.Module
	}
	return l, err
}

// BundleSuffix is appended to the entry's name to name the bundle. Stack frames in
// the bundle that map to no source (glue code esbuild generates) are left out of reports.
const BundleSuffix = ".wsjs-bundle.js"

// bundleName is the name the compiled bundle gets; sources in its source map are
// relative to it, so positions name absolute paths for files and paths relative to the
// working directory for RunScript.
func bundleName(src Source) string {
	if src.fsys != nil {
		// At the root of the fs.FS, where the source map's sources are.
		return path.Base(src.path) + BundleSuffix
	}
	if src.fromFile {
		return src.path + BundleSuffix
	}
	return filepath.ToSlash(src.name) + BundleSuffix
}

func transform(src Source) (*Script, error) {
	name := bundleName(src)
	res := api.Transform(hideArgumentsParams(src.contents), api.TransformOptions{
		Loader:        src.loader,
		Sourcefile:    path.Base(filepath.ToSlash(src.path)),
		Sourcemap:     api.SourceMapExternal,
		Supported:     supported,
		Charset:       api.CharsetUTF8,
		LegalComments: api.LegalCommentsNone,
		LogLevel:      api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		return nil, loadError(nil, src, res.Errors)
	}
	code := string(res.Code) + "//# sourceMappingURL=" + path.Base(name) + ".map\n"
	return compile(src, name, code, res.Map, false, false)
}

// compile parses and compiles generated code whose source map is smap.
func compile(src Source, name, code string, smap []byte, strict, async bool) (*Script, error) {
	shifted := shiftColumns(smap)
	loader := parser.WithSourceMapLoader(func(string) ([]byte, error) { return shifted, nil })
	ast, scan, err := parse(name, code, loader)
	if err != nil {
		return nil, mapSyntaxError(src, name, smap, err)
	}
	m := newCodeMap(code, smap)
	restoreSources(scan, m)
	restoreNames(ast, m)
	if err := checkRegExps(scan, mappedSites{src, name, m}); err != nil {
		return nil, err
	}
	prg, err := compileTree(src.name, ast, scan, strict)
	if err != nil {
		return nil, compileError(src, err)
	}
	return &Script{Program: prg, Async: async}, nil
}

// compileError returns the LoadError of err, an error of goja's compiler,
// at the position in the original source it names.
func compileError(src Source, err error) *LoadError {
	p := Problem{File: src.name, Text: err.Error()}
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) && ce.File != nil {
		pos := ce.File.Position(ce.Offset)
		p.Text, p.Line, p.Column = ce.Message, pos.Line, pos.Column
		if pos.Filename != "" && !strings.HasSuffix(pos.Filename, BundleSuffix) {
			p.File = filepath.FromSlash(pos.Filename)
		}
	}
	return &LoadError{Problems: []Problem{p}}
}

// classicError is the syntax error of a classic script with an import or
// export declaration at offset at, in V8's words.
func classicError(src Source, at int) *LoadError {
	text := "Unexpected token 'export'"
	if strings.HasPrefix(src.contents[at:], "import") {
		text = "Cannot use import statement outside a module"
	}
	line, col := newLineIndex(src.contents).position(at)
	return &LoadError{Problems: []Problem{{
		File: src.name, Line: line, Column: col + 1, Text: text,
		LineText: lineOf(src.contents, line),
	}}}
}

// mapSyntaxError turns a goja syntax error in generated code into one that names the
// original position. It happens only for syntax goja rejects and esbuild passes through.
func mapSyntaxError(src Source, name string, smap []byte, err error) error {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return &LoadError{Problems: []Problem{{File: src.name, Text: err.Error()}}}
	}
	consumer, cerr := sourcemap.Parse(name, smap)
	le := &LoadError{}
	for _, e := range list {
		p := Problem{File: src.name, Line: e.Position.Line, Column: e.Position.Column, Text: e.Message}
		if cerr == nil {
			if file, _, line, col, ok := consumer.Source(e.Position.Line, e.Position.Column-1); ok {
				p.File, p.Line, p.Column = displaySource(src, name, file), line, col+1
				p.LineText = lineOf(consumer.SourceContent(file), line)
			}
		}
		le.Problems = append(le.Problems, p)
	}
	return le
}

func displaySource(src Source, bundle, file string) string {
	u := path.Join(path.Dir(bundle), strings.TrimPrefix(file, path.Dir(bundle)+"/"))
	if path.IsAbs(file) {
		u = file
	}
	if !src.fromFile && u == filepath.ToSlash(src.name) {
		return src.name
	}
	return filepath.FromSlash(u)
}

func lineOf(text string, line int) string {
	for i := 1; i < line; i++ {
		j := strings.IndexByte(text, '\n')
		if j < 0 {
			return ""
		}
		text = text[j+1:]
	}
	if j := strings.IndexByte(text, '\n'); j >= 0 {
		text = text[:j]
	}
	return strings.TrimSuffix(text, "\r")
}

func loadError(cfg *Config, src Source, msgs []api.Message) *LoadError {
	le := &LoadError{}
	for _, m := range msgs {
		p := Problem{File: src.name, Text: m.Text}
		if l := m.Location; l != nil {
			p.File = l.File
			if f, ok := strings.CutPrefix(l.File, fsNamespace+":"); ok {
				p.File = f // a module of an fs.FS
			} else if cfg != nil && (l.Namespace == "" || l.Namespace == "file") && !filepath.IsAbs(l.File) {
				p.File = filepath.Join(cfg.Dir, l.File)
			}
			if p.File == src.path || l.File == "<stdin>" || cfg == nil {
				p.File = src.name
			}
			p.Line = l.Line
			// esbuild counts columns in bytes from 0; show characters from 1.
			col := l.Column
			if col > len(l.LineText) {
				col = len(l.LineText)
			}
			p.Column = utf8.RuneCountInString(l.LineText[:col]) + 1
			p.LineText = l.LineText
		}
		for _, n := range m.Notes {
			if n.Text != "" {
				p.Notes = append(p.Notes, n.Text)
			}
		}
		le.Problems = append(le.Problems, p)
	}
	return le
}

// A LoadError reports why a script could not be loaded: it could not be read, an
// import could not be resolved, or its syntax is invalid.
type LoadError struct {
	Problems []Problem
	Err      error // the underlying error, such as a failed read, if any
}

// A Problem is one error found while loading a script. Line and Column count from 1;
// they are 0 when the problem has no position.
type Problem struct {
	File         string
	Line, Column int
	LineText     string // the offending source line, if known
	Text         string
	Notes        []string
}

// Error formats every problem as "file:line:col: text", followed by the offending
// line with a caret under the column.
func (e *LoadError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
		}
		b.WriteString(": ")
		b.WriteString(p.Text)
		if p.LineText != "" {
			b.WriteString("\n    ")
			b.WriteString(p.LineText)
			b.WriteString("\n    ")
			n := 0
			for _, r := range p.LineText {
				if n >= p.Column-1 {
					break
				}
				if r == '\t' {
					b.WriteByte('\t')
				} else {
					b.WriteByte(' ')
				}
				n++
			}
			b.WriteByte('^')
		}
		for _, n := range p.Notes {
			b.WriteString("\n    note: ")
			b.WriteString(n)
		}
	}
	if len(e.Problems) == 0 && e.Err != nil {
		return e.Err.Error()
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// ReadSource reads the script file at path.
func ReadSource(path string) (Source, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Source{}, &LoadError{Problems: []Problem{{File: path, Text: err.Error()}}, Err: err}
	}
	b, err := os.ReadFile(abs)
	if err != nil {
		return Source{}, &LoadError{Problems: []Problem{{File: path, Text: "cannot read script: " + errText(err)}}, Err: err}
	}
	return NewSource(abs, abs, string(b), true)
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Path returns the absolute path of the source: the file's, or the virtual path.
func (s Source) Path() string { return s.path }

// Name returns how the source is named in errors and stacks.
func (s Source) Name() string { return s.name }

// OnDisk reports whether the source is a file on disk (Path is its path).
func (s Source) OnDisk() bool { return s.fromFile && s.fsys == nil }
