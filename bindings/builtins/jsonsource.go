package builtins

import (
	"strconv"

	"github.com/dop251/goja"
)

// JSON.parse source text access (https://tc39.es/proposal-json-parse-with-source/):
// a reviver is called with a third argument, a context object whose source
// is the text of the value it is given, if that is a primitive the parse
// made and the reviver has not replaced. goja's parse keeps no text, so the
// text is scanned again beside the value goja made, before any reviver
// runs, into JSON Parse Records
// (https://tc39.es/proposal-json-parse-with-source/#sec-json-parse-record).

// A parseRecord is a JSON Parse Record: the value of a node of the text,
// its source text if it is a primitive, and the records of its elements or
// entries.
type parseRecord struct {
	value    goja.Value
	source   goja.String
	elements []*parseRecord
	entries  map[string]*parseRecord
}

// recordScanner scans valid JSON text (goja has parsed it) into records.
type recordScanner struct {
	j    *jsonBound
	text goja.String
	i, n int
}

// parseRecords returns the record of text, which goja parsed to v.
func (j *jsonBound) parseRecords(text goja.String, v goja.Value) *parseRecord {
	s := &recordScanner{j: j, text: text, n: text.Length()}
	return s.value(v)
}

func (s *recordScanner) space() {
	for s.i < s.n {
		switch s.text.CharAt(s.i) {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value scans the value at s.i, which v is (or, for a member whose name
// comes again later in its object, is not: its record is then replaced).
func (s *recordScanner) value(v goja.Value) *parseRecord {
	s.j.poll.Step()
	s.space()
	r := &parseRecord{value: v}
	o, _ := v.(*goja.Object)
	start := s.i
	switch s.text.CharAt(s.i) {
	case '[':
		s.i++
		for s.space(); s.text.CharAt(s.i) != ']'; s.space() {
			var e goja.Value = goja.Undefined()
			if o != nil {
				e = o.Get(strconv.Itoa(len(r.elements)))
			}
			r.elements = append(r.elements, s.value(e))
			s.space()
			if s.text.CharAt(s.i) == ',' {
				s.i++
			}
		}
		s.i++
	case '{':
		s.i++
		r.entries = map[string]*parseRecord{}
		for s.space(); s.text.CharAt(s.i) != '}'; s.space() {
			key := s.key()
			s.space()
			s.i++ // ':'
			var e goja.Value = goja.Undefined()
			if o != nil {
				e = call(s.j.get, goja.Undefined(), o, key)
			}
			r.entries[key.String()] = s.value(e)
			s.space()
			if s.text.CharAt(s.i) == ',' {
				s.i++
			}
		}
		s.i++
	case '"':
		s.key()
		r.source = s.text.Substring(start, s.i)
	default: // a number, true, false or null
		for s.i < s.n && !isJSONDelimiter(s.text.CharAt(s.i)) {
			s.i++
		}
		r.source = s.text.Substring(start, s.i)
	}
	return r
}

func isJSONDelimiter(c uint16) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// key scans the string at s.i and returns its value.
func (s *recordScanner) key() goja.String {
	s.i++ // '"'
	var units []uint16
	for c := s.text.CharAt(s.i); c != '"'; c = s.text.CharAt(s.i) {
		s.i++
		if c != '\\' {
			units = append(units, c)
			continue
		}
		e := s.text.CharAt(s.i)
		s.i++
		switch e {
		case 'b':
			e = '\b'
		case 'f':
			e = '\f'
		case 'n':
			e = '\n'
		case 'r':
			e = '\r'
		case 't':
			e = '\t'
		case 'u':
			h, _ := strconv.ParseUint(s.text.Substring(s.i, s.i+4).String(), 16, 16)
			e = uint16(h)
			s.i += 4
		}
		units = append(units, e)
	}
	s.i++
	return goja.StringFromUTF16(units)
}
