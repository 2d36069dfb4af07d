package loader

import (
	"crypto/sha256"
	"errors"
	"io"
	"sync"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"
)

// fetchedPrograms caches the programs compiled from scripts fetched over
// HTTP, such as a test harness that every worker imports; a goja.Program can
// run in any runtime.
var fetchedPrograms = struct {
	sync.Mutex
	m map[[32]byte]*goja.Program
}{m: make(map[[32]byte]*goja.Program)}

// maxCachedPrograms bounds fetchedPrograms.
const maxCachedPrograms = 16

// CompileClassic compiles the classic script src fetched from url: a fetched
// script is not bundled. Programs are cached by URL and source.
func CompileClassic(url, src string) (*goja.Program, error) {
	h := sha256.New()
	io.WriteString(h, url)
	h.Write([]byte{0})
	io.WriteString(h, src)
	var key [32]byte
	h.Sum(key[:0])
	fetchedPrograms.Lock()
	prg := fetchedPrograms.m[key]
	fetchedPrograms.Unlock()
	if prg != nil {
		return prg, nil
	}
	prg, err := compileClassic(url, src)
	if err != nil {
		return nil, err
	}
	fetchedPrograms.Lock()
	if len(fetchedPrograms.m) >= maxCachedPrograms {
		for k := range fetchedPrograms.m {
			delete(fetchedPrograms.m, k)
			break
		}
	}
	fetchedPrograms.m[key] = prg
	fetchedPrograms.Unlock()
	return prg, nil
}

// compileClassic compiles src as is when goja's parser takes it. Otherwise
// esbuild prints it first, keeping classic script semantics, as Load does for
// a user's classic script: when goja's parser panics on it (see parse) or
// would misread a legacy octal escape (see misreadOctal), and
// when goja's parser or compiler rejects it, which may be for syntax goja
// lacks and esbuild lowers (async generators, for await; see
// gojaUnsupported). A script that
// esbuild cannot print either keeps goja's syntax error.
func compileClassic(url, src string) (*goja.Program, error) {
	if err := checkNesting(url, src); err != nil {
		return nil, err
	}
	if misreadOctal(src) {
		return transformClassic(url, src)
	}
	a, scan, err := parse(url, src)
	var ee *EngineError
	if errors.As(err, &ee) {
		return transformClassic(url, src)
	}
	if err != nil {
		if prg, terr := transformClassic(url, src); terr == nil {
			return prg, nil
		}
		return nil, err
	}
	if err := checkRegExps(scan, sourceSites{url, src}); err != nil {
		return nil, err
	}
	prg, err := compileTree(url, a, scan, false)
	if err != nil {
		// Syntax goja parses but does not compile, such as async generators.
		if prg, terr := transformClassic(url, src); terr == nil {
			return prg, nil
		}
	}
	return prg, err
}

// transformClassic compiles the classic script src fetched from url as
// esbuild prints it, its syntax lowered to what goja supports; positions in
// the program map back to src through the source map.
func transformClassic(url, src string) (*goja.Program, error) {
	s := Source{name: url, path: url, contents: src, loader: api.LoaderJS}
	// esbuild lowers import.meta in a script to an empty object, and would
	// take module declarations for CommonJS: both are early errors outside
	// a module (https://tc39.es/ecma262/#sec-left-hand-side-expressions-static-semantics-early-errors).
	if _, err := scanModule(src, false); err != nil {
		return nil, scanError(s, src, identityMap(url, src), err)
	}
	l, err := transform(s)
	if err != nil {
		return nil, err
	}
	return l.Program, nil
}
