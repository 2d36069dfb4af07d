package loader

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// applyEdits returns code with edits made (they must not overlap nor change
// how many lines there are) and smap, the source map of code, with the
// generated columns after each edit moved by as much as the edit moves the
// text after it on its line.
func applyEdits(code string, smap []byte, edits []edit) (string, []byte) {
	if len(edits) == 0 {
		return code, smap
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var b strings.Builder
	b.Grow(len(code) + 64)
	type shift struct{ line, col, delta int }
	var shifts []shift
	line, lineStart, last := 0, 0, 0
	for _, e := range edits {
		for i := strings.IndexByte(code[last:e.from], '\n'); i >= 0; i = strings.IndexByte(code[last:e.from], '\n') {
			line++
			last += i + 1
			lineStart = last
		}
		if d := utf16Len(e.text) - utf16Len(code[e.from:e.to]); d != 0 {
			shifts = append(shifts, shift{line, utf16Len(code[lineStart:e.from]), d})
		}
		last = e.from
	}
	at := 0
	for _, e := range edits {
		b.WriteString(code[at:e.from])
		b.WriteString(e.text)
		at = e.to
	}
	b.WriteString(code[at:])
	if len(shifts) == 0 {
		return b.String(), smap
	}
	lines, ok := readMappings(smap)
	if !ok {
		return b.String(), smap
	}
	// The shifts of a line are in order of column; each applies to what
	// comes after the text the edit replaced, whose end moved by the shifts
	// before it.
	for i := len(shifts) - 1; i >= 0; i-- {
		s := shifts[i]
		if s.line >= len(lines) {
			continue
		}
		for k := range lines[s.line] {
			if seg := lines[s.line][k]; seg[0] > s.col {
				seg[0] = max(seg[0]+s.delta, s.col)
			}
		}
	}
	return b.String(), writeMappings(smap, lines)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	if n == 0 && len(s) > 0 && !utf8.ValidString(s) {
		return len(s)
	}
	return n
}

// prependLines returns smap for code that has n more lines at its start.
func prependLines(smap []byte, n int) []byte {
	i := mappingsStart(smap)
	if i < 0 {
		return smap
	}
	out := make([]byte, 0, len(smap)+n)
	out = append(out, smap[:i]...)
	out = append(out, bytes.Repeat([]byte{';'}, n)...)
	return append(out, smap[i:]...)
}

const mappingsKey = `"mappings": "`

// mappingsStart returns where the value of smap's "mappings" starts, or -1.
func mappingsStart(smap []byte) int {
	i := bytes.Index(smap, []byte(mappingsKey))
	if i < 0 {
		return -1
	}
	return i + len(mappingsKey)
}

// A segment holds the absolute fields of a mapping: generated column, and
// if it has them, source, original line, original column and name.
type segment []int

// readMappings decodes the mappings of smap, by generated line.
func readMappings(smap []byte) ([][]segment, bool) {
	i := mappingsStart(smap)
	if i < 0 {
		return nil, false
	}
	n := bytes.IndexByte(smap[i:], '"')
	if n < 0 {
		return nil, false
	}
	var lines [][]segment
	var abs [5]int
	for _, l := range bytes.Split(smap[i:i+n], []byte{';'}) {
		abs[0] = 0
		var segs []segment
		if len(l) > 0 {
			for _, seg := range bytes.Split(l, []byte{','}) {
				f, ok := decodeVLQ(nil, seg)
				if !ok || len(f) > 5 {
					return nil, false
				}
				s := make(segment, len(f))
				for j, v := range f {
					abs[j] += v
					s[j] = abs[j]
				}
				segs = append(segs, s)
			}
		}
		lines = append(lines, segs)
	}
	return lines, true
}

// writeMappings returns smap with its mappings replaced by lines.
func writeMappings(smap []byte, lines [][]segment) []byte {
	i := mappingsStart(smap)
	n := bytes.IndexByte(smap[i:], '"')
	out := make([]byte, 0, len(smap))
	out = append(out, smap[:i]...)
	var prev [5]int
	for li, segs := range lines {
		if li > 0 {
			out = append(out, ';')
		}
		prev[0] = 0
		for k, s := range segs {
			if k > 0 {
				out = append(out, ',')
			}
			for j, v := range s {
				out = appendVLQ(out, v-prev[j])
				prev[j] = v
			}
		}
	}
	return append(out, smap[i+n:]...)
}
