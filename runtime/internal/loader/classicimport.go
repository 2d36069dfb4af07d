package loader

import (
	"encoding/json"
	"path"
)

// A classic script that goja parses but for its import() calls runs as
// is, those rewritten into calls of importFunc, with no esbuild: esbuild
// takes top-level await for granted in a file it cannot tell is a script,
// and would reject await used as a name. A source map of the rewrite keeps
// positions, and function source text, those of the script.

// loadClassicImport loads src, a plain script, that way, if it can.
func loadClassicImport(cfg *Config, src Source) (*Script, bool) {
	syn, err := scanModule(src.contents, false)
	if err != nil || !syn.dynamic || syn.meta {
		return nil, false
	}
	smap := identityMap(src.name, src.contents)
	code, smap := applyEdits(src.contents, smap, syn.edits)
	s, err := compile(src, src.name, code+mapComment(src.name), smap, false, false)
	if err != nil {
		return nil, false
	}
	s.Graph = newGraph(cfg, src)
	s.Graph.program = src.name
	return s, true
}

// identityMap returns a source map of text, named name, to itself: each
// token maps to where it is.
func identityMap(name, text string) []byte {
	x := newLineIndex(text)
	lines := make([][]segment, len(x.starts))
	s := newScanner(text)
	for t := s.next(); t.kind != tokEOF; t = s.next() {
		line, col := x.position(t.from)
		lines[line-1] = append(lines[line-1], segment{col, 0, line - 1, col})
	}
	sources, _ := json.Marshal([]string{path.Base(name)})
	content, _ := json.Marshal([]string{text})
	smap := []byte(`{"version": 3, "sources": ` + string(sources) + `, "sourcesContent": ` + string(content) +
		`, "names": [], "mappings": ""}`)
	return writeMappings(smap, lines)
}
