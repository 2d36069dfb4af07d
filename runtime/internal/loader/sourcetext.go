package loader

import (
	"path"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja/file"
	"github.com/go-sourcemap/sourcemap"
)

// A script that esbuild bundles, transforms or lowers is compiled from the
// code esbuild prints, so Function.prototype.toString would show esbuild's
// text, not the script's (https://tc39.es/ecma262/#sec-function.prototype.tostring
// wants the source text as written). esbuild's source map says where each
// token it prints came from, a function's first token and the closing brace
// of its body included, and it carries the sources' text. restoreSources
// gives each function and class whose both ends map into the same JavaScript
// source, onto a token like the one printed, the text between them there.
// What esbuild adds (its helpers) maps nowhere and keeps its printed text;
// so do arrow functions with a concise body, whose last token the map does
// not bound, functions from TypeScript or JSX sources, whose text is not
// JavaScript, and methods esbuild lowered (an async generator method loses
// its "async *"). An async generator function esbuild lowers maps to the
// original "async function*" text.

// restoreSources sets the Source of the functions and classes that s found
// in code that m maps to its sources.
func restoreSources(s *treeScan, m *codeMap) {
	if m == nil {
		return
	}
	for _, n := range s.sourced {
		*n.source = m.restore(n.idx0, n.idx1, *n.source)
	}
}

// restore returns the original text of the node from idx0 to idx1 (goja's
// positions, from 1) in the generated code, whose text is printed, or
// printed if the map does not say it exactly.
func (r *codeMap) restore(idx0, idx1 file.Idx, printed string) string {
	from, last := int(idx0)-1, int(idx1)-2 // the first byte, and the closing brace
	if from < 0 || last <= from || last >= len(r.code) || r.code[last] != '}' {
		return printed
	}
	name, ofrom, ok := r.original(from)
	if printed[0] == '[' {
		// A computed name: the map places its expression, after the
		// bracket.
		name, ofrom, ok = r.computedName(from)
	}
	if !ok || !restoredExt(name) {
		return printed
	}
	name2, olast, ok := r.original(last)
	if !ok || name2 != name {
		return printed
	}
	src := r.source(name)
	if src == nil || ofrom >= olast || olast >= len(src.text) || src.text[olast] != '}' {
		return printed
	}
	text := src.text[ofrom : olast+1]
	w, p := firstWord(text), firstWord(printed)
	switch {
	case w == "async" && p == "function":
		// A lowered async generator function.
	case w != p:
		return printed
	case strings.Contains(printed, "__asyncGenerator("):
		// Perhaps a lowered async generator method: the map gives
		// where its name starts, after "async *".
		if at := asyncStarBefore(src.text, ofrom); at >= 0 {
			text = src.text[at : olast+1]
		}
	}
	return text
}

// asyncStarBefore returns where "async" starts if text[:at] ends with
// "async", "*" and white space or comments between them and before at, or -1.
func asyncStarBefore(text string, at int) int {
	at = skipTriviaBack(text, at)
	if at < 1 || text[at-1] != '*' {
		return -1
	}
	at = skipTriviaBack(text, at-1)
	if !strings.HasSuffix(text[:at], "async") {
		return -1
	}
	at -= len("async")
	if at > 0 && firstWord(text[at-1:]) != text[at-1:at] {
		return -1 // part of a longer name
	}
	return at
}

// skipTriviaBack returns where the white space and block comments that
// text[:at] ends with start.
func skipTriviaBack(text string, at int) int {
	for at > 0 {
		switch {
		case strings.HasSuffix(text[:at], "*/"):
			i := strings.LastIndex(text[:at-2], "/*")
			if i < 0 {
				return at
			}
			at = i
		case strings.ContainsRune(" \t\n\r\v\f", rune(text[at-1])):
			at--
		default:
			return at
		}
	}
	return at
}

// computedName maps the opening bracket of the computed name at from in the
// generated code through the first token inside it.
func (r *codeMap) computedName(from int) (name string, at int, ok bool) {
	inner := from + 1
	for inner < len(r.code) {
		if n := commentLen(r.code[inner:]); n > 0 {
			inner += n
		} else if strings.ContainsRune(" \t\n\r", rune(r.code[inner])) {
			inner++
		} else {
			break
		}
	}
	name, at, ok = r.original(inner)
	if !ok {
		return "", 0, false
	}
	text := r.source(name).text
	at = skipTriviaBack(text, at)
	if at < 1 || text[at-1] != '[' {
		return "", 0, false
	}
	return name, at - 1, true
}

// codeMap maps positions in code esbuild printed to its sources, through
// the source map esbuild wrote with it.
type codeMap struct {
	m       *sourcemap.Consumer
	gen     *lineIndex
	code    string
	sources map[string]*lineIndex // by source name; nil for one without text
	names   bool                  // the map names identifiers (see names.go)
}

// newCodeMap returns the map of code, or nil if smap cannot be read.
func newCodeMap(code string, smap []byte) *codeMap {
	m, err := sourcemap.Parse("", smap)
	if err != nil {
		return nil
	}
	return &codeMap{m: m, gen: newLineIndex(code), code: code, sources: map[string]*lineIndex{}, names: sourceMapNames(smap)}
}

// originalName returns the name the map gives the token at offset in the
// generated code, the original of an identifier esbuild renamed.
func (r *codeMap) originalName(offset int) (string, bool) {
	if offset < 0 || offset >= len(r.code) {
		return "", false
	}
	line, col := r.gen.position(offset)
	_, name, _, _, ok := r.m.Source(line, col)
	return name, ok && name != ""
}

// original maps the byte at offset in the generated code to its source and
// byte offset there.
func (r *codeMap) original(offset int) (name string, at int, ok bool) {
	line, col := r.gen.position(offset)
	name, _, oline, ocol, ok := r.m.Source(line, col)
	if !ok {
		return "", 0, false
	}
	src := r.source(name)
	if src == nil {
		return "", 0, false
	}
	at = src.offset(oline, ocol)
	return name, at, at >= 0
}

// source returns the text of the source name, or nil if the map lacks it.
func (r *codeMap) source(name string) *lineIndex {
	x, ok := r.sources[name]
	if !ok {
		if text := r.m.SourceContent(name); text != "" {
			// The text esbuild was given: a parameter hidden from it
			// (argsparam.go) gets its name back, in as many UTF-16 code
			// units.
			x = newLineIndex(strings.ReplaceAll(text, argumentsStandIn, "arguments"))
		}
		r.sources[name] = x
	}
	return x
}

// lineIndex converts between byte offsets in a text and source map
// positions: 1-based lines and 0-based columns in UTF-16 code units.
type lineIndex struct {
	text   string
	starts []int // byte offset of each line
}

func newLineIndex(text string) *lineIndex {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{text: text, starts: starts}
}

// position returns the line and column of the byte at offset.
func (x *lineIndex) position(offset int) (line, col int) {
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > offset }) - 1
	for _, r := range x.text[x.starts[i]:offset] {
		col += utf16.RuneLen(r)
	}
	return i + 1, col
}

// offset returns the byte offset of line and col, or -1.
func (x *lineIndex) offset(line, col int) int {
	if line < 1 || line > len(x.starts) {
		return -1
	}
	i := x.starts[line-1]
	for col > 0 && i < len(x.text) && x.text[i] != '\n' {
		r, n := utf8.DecodeRuneInString(x.text[i:])
		col -= utf16.RuneLen(r)
		i += n
	}
	if col != 0 {
		return -1
	}
	return i
}

// firstWord returns the identifier s starts with, or its first byte.
func firstWord(s string) string {
	n := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= utf8.RuneSelf)
	})
	switch {
	case n < 0:
		return s
	case n == 0 && s != "":
		return s[:1]
	}
	return s[:n]
}

// restoredExt says which sources, by extension, are JavaScript.
func restoredExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".ts", ".tsx", ".mts", ".cts", ".jsx":
		return false
	}
	return true
}
