package main

import (
	"errors"
	"strings"
)

// Meta is what a test's frontmatter says about running it
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#metadata).
type Meta struct {
	Includes []string // harness files to evaluate before the test
	Flags    []string
	Features []string
	Negative *Negative // nil unless the test must fail
}

// Negative says how a negative test must fail: in which phase ("parse",
// "resolution" or "runtime") and with which error constructor's name.
type Negative struct {
	Phase, Type string
}

// Has reports whether the frontmatter lists flag.
func (m *Meta) Has(flag string) bool { return contains(m.Flags, flag) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var errNoFrontmatter = errors.New("no /*--- ... ---*/ frontmatter")

// parseMeta reads the frontmatter of a test's source: the YAML between
// "/*---" and "---*/". Only the keys a runner needs are read, and only in
// the shapes test262 writes them: a flow list ("[a, b]") or a block list
// ("- a" lines, indented or not) for includes, flags and features, and a mapping of phase
// and type under negative. Other keys, such as multi-line descriptions,
// are skipped.
func parseMeta(src string) (*Meta, error) {
	start := strings.Index(src, "/*---")
	if start < 0 {
		return nil, errNoFrontmatter
	}
	body := src[start+len("/*---"):]
	end := strings.Index(body, "---*/")
	if end < 0 {
		return nil, errNoFrontmatter
	}
	m := &Meta{}
	var key string // the top-level key whose block the lines belong to
	// YAML's line breaks: CR LF, LF, or CR alone, as in the files of
	// test262 that test the CR line terminator.
	text := strings.ReplaceAll(strings.ReplaceAll(body[:end], "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if len(trimmed) < len(line) || strings.HasPrefix(line, "- ") {
			m.nested(key, trimmed)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			key = ""
			continue
		}
		key = strings.TrimSpace(k)
		m.set(key, strings.TrimSpace(v))
	}
	return m, nil
}

// set handles "key: value" at the top level.
func (m *Meta) set(key, v string) {
	switch key {
	case "includes":
		m.Includes = append(m.Includes, flowList(v)...)
	case "flags":
		m.Flags = append(m.Flags, flowList(v)...)
	case "features":
		m.Features = append(m.Features, flowList(v)...)
	case "negative":
		m.Negative = &Negative{}
	}
}

// nested handles an indented line of key's block.
func (m *Meta) nested(key, line string) {
	if item, ok := strings.CutPrefix(line, "- "); ok {
		item = unquote(strings.TrimSpace(item))
		switch key {
		case "includes":
			m.Includes = append(m.Includes, item)
		case "flags":
			m.Flags = append(m.Flags, item)
		case "features":
			m.Features = append(m.Features, item)
		}
		return
	}
	if key != "negative" || m.Negative == nil {
		return
	}
	k, v, _ := strings.Cut(line, ":")
	switch strings.TrimSpace(k) {
	case "phase":
		m.Negative.Phase = unquote(strings.TrimSpace(v))
	case "type":
		m.Negative.Type = unquote(strings.TrimSpace(v))
	}
}

// flowList splits a YAML flow sequence such as "[a, b]"; anything else,
// such as the empty value before a block list, yields nothing.
func flowList(v string) []string {
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return nil
	}
	var out []string
	for _, item := range strings.Split(v[1:len(v)-1], ",") {
		if item = unquote(strings.TrimSpace(item)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
