package builtins

import (
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/dop251/goja"
)

// goja's JSON.parse converts the text to UTF-8 and hands it to
// encoding/json: a lone surrogate, escaped ("\uD800") or not, became
// U+FFFD, so text JSON.stringify wrote did not parse back to the same
// string; a number past the float64 range ("1e400") was a SyntaxError where
// the spec makes it Infinity; and the parse, a Go call per token, ran with
// no interrupt for as long as the text took (a 16 MB array of numbers: over
// two seconds, past a deadline's grace). wsjs parses JSON text itself
// (https://tc39.es/ecma262/#sec-json.parse, whose grammar is ECMA-404's),
// over the text's UTF-16 code units, or its bytes where it is ASCII,
// stepping the realm's poller as it goes and asking the heap guard
// (ownkeys.go) for room as a long array grows; with a reviver, it makes the
// parse records of the values as well (jsonsource.go). Objects get their
// members as CreateDataProperty
// (https://tc39.es/ecma262/#sec-createdataproperty) defines them: a later
// duplicate replaces the value in the first one's place, and "__proto__" is
// an own property.

// jsonUnit is a code unit of JSON text: a byte of ASCII text, or UTF-16.
type jsonUnit interface{ byte | uint16 }

// jsonParser parses one text.
type jsonParser[E jsonUnit] struct {
	j       *jsonBound
	src     goja.String // the text
	s       []E         // its code units
	i       int
	buf     []uint16 // a string being unescaped
	depth   int
	records bool // make the parse records
}

// maxJSONDepth bounds the nesting a parse recurses to where the realm sets
// no bound (Options.NestingDepth), far below what Go's stack allows.
const maxJSONDepth = 1 << 14

// parseJSON parses text, throwing a SyntaxError where it is not JSON, and
// returns its value and, if records, the value's parse record.
func (j *jsonBound) parseJSON(text goja.String, records bool) (goja.Value, *parseRecord) {
	t := newText(text, j.poll)
	if t.isASCII {
		// Read only: the bytes of the string goja holds, not a copy.
		p := &jsonParser[byte]{j: j, src: text, s: unsafe.Slice(unsafe.StringData(t.ascii), len(t.ascii)), records: records}
		return p.parse()
	}
	p := &jsonParser[uint16]{j: j, src: text, s: t.units, records: records}
	return p.parse()
}

func (p *jsonParser[E]) parse() (goja.Value, *parseRecord) {
	p.space()
	v, rec := p.value()
	p.space()
	if p.i < len(p.s) {
		p.fail("Unexpected non-whitespace character after JSON at position %d", p.i)
	}
	return v, rec
}

// space skips JSON's white space.
func (p *jsonParser[E]) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses a value, and makes its record if p.records.
func (p *jsonParser[E]) value() (goja.Value, *parseRecord) {
	if p.i >= len(p.s) {
		p.fail("Unexpected end of JSON input")
	}
	p.j.poll.Step()
	start := p.i
	var v goja.Value
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		v = p.str()
	case c == '-' || c >= '0' && c <= '9':
		v = p.number()
	case c == 't':
		p.literal("true")
		v = p.j.vm.ToValue(true)
	case c == 'f':
		p.literal("false")
		v = p.j.vm.ToValue(false)
	case c == 'n':
		p.literal("null")
		v = goja.Null()
	default:
		p.unexpected()
	}
	if !p.records {
		return v, nil
	}
	return v, &parseRecord{value: v, source: p.src.Substring(start, p.i)}
}

func (p *jsonParser[E]) literal(word string) {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.s) {
			p.fail("Unexpected end of JSON input")
		}
		if p.s[p.i] != E(word[k]) {
			p.unexpected()
		}
		p.i++
	}
}

// open enters an object or array at p.i, and reports whether it closes at
// once with closing.
func (p *jsonParser[E]) open(closing E) (empty bool) {
	p.depth++
	if max := p.j.maxDepth; max > 0 && p.depth > max || p.depth > maxJSONDepth {
		p.j.tooDeep()
	}
	p.i++
	p.space()
	if p.i < len(p.s) && p.s[p.i] == closing {
		p.i++
		p.depth--
		return true
	}
	return false
}

// closes reads what follows a member or an element: a comma, or the unit
// that closes the object or array (then it reports true).
func (p *jsonParser[E]) closes(closing E) bool {
	p.space()
	if p.i >= len(p.s) {
		p.fail("Unexpected end of JSON input")
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return false
	case closing:
		p.i++
		p.depth--
		return true
	}
	p.unexpected()
	return false
}

func (p *jsonParser[E]) object() (goja.Value, *parseRecord) {
	o := p.j.vm.NewObject()
	var rec *parseRecord
	if p.records {
		rec = &parseRecord{value: o, entries: map[string]*parseRecord{}}
	}
	if p.open('}') {
		return o, rec
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			p.unexpectedOrEnd()
		}
		name, odd := p.key()
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.unexpectedOrEnd()
		}
		p.i++
		p.space()
		v, vrec := p.value()
		if odd == nil {
			_ = o.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		} else {
			// A name a Go string cannot hold (a lone surrogate): defined
			// through the intrinsic, with the name as it is.
			createDataProperty(p.j.vm, p.j.define, o, odd, v, false)
			name = odd.String()
		}
		if rec != nil {
			rec.entries[name] = vrec
		}
		if p.closes('}') {
			return o, rec
		}
	}
}

func (p *jsonParser[E]) array() (goja.Value, *parseRecord) {
	var rec *parseRecord
	if p.records {
		rec = &parseRecord{}
	}
	if p.open(']') {
		return p.made(p.j.vm.NewArray(), rec)
	}
	// The elements are gathered in chunks: growing one long slice of
	// pointers copies it again and again, which the collector cannot
	// interrupt to scan the stack.
	var full [][]any
	cur := make([]any, 0, 8)
	n := 0
	for {
		p.space()
		v, vrec := p.value()
		if len(cur) == jsonChunk {
			full = append(full, cur)
			cur = make([]any, 0, jsonChunk)
		}
		cur = append(cur, v)
		n++
		p.j.guard.growing(n, elementBytes)
		if rec != nil {
			rec.elements = append(rec.elements, vrec)
		}
		if !p.closes(']') {
			continue
		}
		if full == nil {
			return p.made(p.j.vm.NewArray(cur...), rec)
		}
		items := make([]any, 0, n)
		for _, c := range full {
			items = append(items, c...)
		}
		return p.made(p.j.vm.NewArray(append(items, cur...)...), rec)
	}
}

// made returns the array a and its record, if any.
func (p *jsonParser[E]) made(a *goja.Object, rec *parseRecord) (goja.Value, *parseRecord) {
	if rec != nil {
		rec.value = a
	}
	return a, rec
}

// jsonChunk is the most elements of an array gathered in one slice.
const jsonChunk = 4096

// key parses a member's name: as a Go string, or, where a Go string cannot
// hold it (a lone surrogate), as odd.
func (p *jsonParser[E]) key() (name string, odd goja.String) {
	start := p.i + 1
	if end, ok := p.simpleString(); ok {
		return p.ascii(start, end), nil
	}
	s := p.escapedString()
	if loneSurrogate(s, 0) >= 0 {
		return "", s
	}
	return s.String(), nil
}

// str parses a string value.
func (p *jsonParser[E]) str() goja.Value {
	start := p.i + 1
	if end, ok := p.simpleString(); ok {
		return p.j.vm.ToValue(p.ascii(start, end))
	}
	return p.escapedString()
}

// simpleString scans a string of printable ASCII without escapes from the
// quote at p.i, and reports where it ends; otherwise it leaves p.i as it is.
func (p *jsonParser[E]) simpleString() (end int, ok bool) {
	for k := p.i + 1; k < len(p.s); k++ {
		switch c := p.s[k]; {
		case c == '"':
			p.i = k + 1
			return k, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return 0, false
		}
	}
	return 0, false
}

// ascii returns s[from:to], ASCII, as a Go string.
func (p *jsonParser[E]) ascii(from, to int) string {
	if b, ok := any(p.s).([]byte); ok {
		return string(b[from:to])
	}
	b := make([]byte, to-from)
	for k := range b {
		b[k] = byte(p.s[from+k])
	}
	return string(b)
}

// escapedString parses a string from the quote at p.i, with its escapes.
func (p *jsonParser[E]) escapedString() goja.String {
	p.i++ // "
	p.buf = p.buf[:0]
	for {
		if p.i >= len(p.s) {
			p.fail("Unterminated string in JSON at position %d", p.i)
		}
		p.j.poll.Step()
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return goja.StringFromUTF16(p.buf)
		case c < 0x20:
			p.fail("Bad control character in string literal in JSON at position %d", p.i)
		case c == '\\':
			p.escape()
		default:
			p.buf = append(p.buf, uint16(c))
			p.i++
		}
	}
}

// escape appends the escape at p.i to p.buf.
func (p *jsonParser[E]) escape() {
	at := p.i
	p.i++
	if p.i >= len(p.s) {
		p.fail("Unterminated string in JSON at position %d", p.i)
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		p.buf = append(p.buf, uint16(c))
	case 'b':
		p.buf = append(p.buf, '\b')
	case 'f':
		p.buf = append(p.buf, '\f')
	case 'n':
		p.buf = append(p.buf, '\n')
	case 'r':
		p.buf = append(p.buf, '\r')
	case 't':
		p.buf = append(p.buf, '\t')
	case 'u':
		var u uint16
		for k := 0; k < 4; k++ {
			if p.i >= len(p.s) {
				p.fail("Bad Unicode escape in JSON at position %d", at)
			}
			d, ok := hexDigit(p.s[p.i])
			if !ok {
				p.fail("Bad Unicode escape in JSON at position %d", at)
			}
			u = u<<4 | d
			p.i++
		}
		p.buf = append(p.buf, u)
	default:
		p.fail("Bad escaped character in JSON at position %d", at+1)
	}
}

func hexDigit[E jsonUnit](c E) (uint16, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint16(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint16(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint16(c-'A') + 10, true
	}
	return 0, false
}

// number parses a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func (p *jsonParser[E]) number() goja.Value {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		p.unexpectedOrEnd()
	}
	integer := true
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			p.unexpectedOrEnd()
		}
		integer = false
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			p.unexpectedOrEnd()
		}
		integer = false
	}
	if integer && p.i-start <= 15 {
		// At most 15 digits: exactly an int64 and a float64.
		neg := p.s[start] == '-'
		var n int64
		for k := start; k < p.i; k++ {
			if c := p.s[k]; c != '-' {
				n = n*10 + int64(c-'0')
			}
		}
		switch {
		case neg && n == 0:
			return p.j.vm.ToValue(math.Copysign(0, -1))
		case neg:
			n = -n
		}
		return p.j.vm.ToValue(n)
	}
	text := p.ascii(start, p.i)
	// Out of float64's range, the number rounds to an infinity or zero.
	f, _ := strconv.ParseFloat(text, 64)
	return p.j.vm.ToValue(f)
}

// digits skips decimal digits and returns how many.
func (p *jsonParser[E]) digits() int {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

func (p *jsonParser[E]) unexpectedOrEnd() {
	if p.i >= len(p.s) {
		p.fail("Unexpected end of JSON input")
	}
	p.unexpected()
}

// unexpected throws V8's SyntaxError for the unit at p.i.
func (p *jsonParser[E]) unexpected() {
	c := rune(p.s[p.i])
	if c >= 0xd800 && c <= 0xdfff {
		c = 0xfffd
	}
	p.fail("Unexpected token '%c', %s is not valid JSON", c, p.excerpt())
}

// excerpt quotes the text around p.i, as V8's messages do.
func (p *jsonParser[E]) excerpt() string {
	const around = 10
	from, to := max(p.i-around, 0), min(p.i+around, len(p.s))
	units := make([]uint16, to-from)
	for k := range units {
		units[k] = uint16(p.s[from+k])
	}
	q := `"` + goja.StringFromUTF16(units).String() + `"`
	if from > 0 {
		q = "..." + q
	}
	if to < len(p.s) {
		q += "..."
	}
	return q
}

func (p *jsonParser[E]) fail(format string, args ...any) {
	panic(p.j.realm.NewSyntaxError(fmt.Sprintf(format, args...)))
}
