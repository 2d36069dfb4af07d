package builtins

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unsafe"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
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
// (ownkeys.go) for room before making a long array. Objects get their
// members as CreateDataProperty defines them: a later duplicate replaces the
// value in the first one's place, and "__proto__" is an own property.

// jsonUnit is a code unit of JSON text: a byte of ASCII text, or UTF-16.
type jsonUnit interface{ byte | uint16 }

// jsonParser parses one text.
type jsonParser[E jsonUnit] struct {
	j     *jsonBound
	s     []E
	i     int
	buf   []uint16 // a string being unescaped
	depth int
}

// maxJSONDepth bounds the nesting a parse recurses to where the realm sets
// no bound (Options.NestingDepth), far below what Go's stack allows.
const maxJSONDepth = 1 << 14

// parseJSON parses text, throwing a SyntaxError where it is not JSON.
func (j *jsonBound) parseJSON(text goja.String) goja.Value {
	if ascii, ok := webidl.ASCII(text); ok {
		// Read only: the bytes of the string goja holds, not a copy.
		p := &jsonParser[byte]{j: j, s: unsafe.Slice(unsafe.StringData(ascii), len(ascii))}
		return p.parse()
	}
	n := text.Length()
	units := make([]uint16, n)
	for i := range n {
		if i&0x3ff == 0 {
			j.poll.Step()
		}
		units[i] = text.CharAt(i)
	}
	p := &jsonParser[uint16]{j: j, s: units}
	return p.parse()
}

func (p *jsonParser[E]) parse() goja.Value {
	p.space()
	v := p.value()
	p.space()
	if p.i < len(p.s) {
		p.fail("Unexpected non-whitespace character after JSON at position %d", p.i)
	}
	return v
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

func (p *jsonParser[E]) value() goja.Value {
	if p.i >= len(p.s) {
		p.fail("Unexpected end of JSON input")
	}
	p.j.poll.Step()
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		p.literal("true")
		return p.j.vm.ToValue(true)
	case c == 'f':
		p.literal("false")
		return p.j.vm.ToValue(false)
	case c == 'n':
		p.literal("null")
		return goja.Null()
	}
	p.unexpected()
	return nil
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

// nest enters an object or array.
func (p *jsonParser[E]) nest() {
	p.depth++
	if max := p.j.maxDepth; max > 0 && p.depth > max || p.depth > maxJSONDepth {
		p.j.tooDeep()
	}
}

func (p *jsonParser[E]) object() goja.Value {
	p.nest()
	p.i++ // {
	o := p.j.vm.NewObject()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return o
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			p.unexpectedOrEnd()
		}
		key, plain := p.key()
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.unexpectedOrEnd()
		}
		p.i++
		p.space()
		v := p.value()
		if plain != "" || key == nil {
			_ = o.DefineDataProperty(plain, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		} else {
			// A key a Go string cannot hold (a lone surrogate): defined
			// through the intrinsic, with the key as it is.
			createDataProperty(p.j.vm, p.j.define, o, key, v, false)
		}
		if p.closes('}') {
			return o
		}
	}
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

func (p *jsonParser[E]) array() goja.Value {
	p.nest()
	p.i++ // [
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return p.j.vm.NewArray()
	}
	// The elements are gathered in chunks: growing one long slice of
	// pointers copies it again and again, which the collector cannot
	// interrupt to scan the stack.
	var full [][]any
	cur := make([]any, 0, 8)
	n := 0
	for {
		p.space()
		v := p.value()
		if len(cur) == jsonChunk {
			full = append(full, cur)
			cur = make([]any, 0, jsonChunk)
		}
		cur = append(cur, v)
		if n++; n >= guardedKeys && n&(n-1) == 0 {
			// Each doubling of a long array asks the heap for as much again.
			p.j.guard.reserve(int64(n), jsonElementBytes)
		}
		if !p.closes(']') {
			continue
		}
		if full == nil {
			return p.j.vm.NewArray(cur...)
		}
		items := make([]any, 0, n)
		for _, c := range full {
			items = append(items, c...)
		}
		return p.j.vm.NewArray(append(items, cur...)...)
	}
}

// jsonChunk is the most elements of an array gathered in one slice.
const jsonChunk = 4096

// jsonElementBytes is about what an element of a parsed array takes: its
// slot in the stack of items and in the array, and a small value.
const jsonElementBytes = 48

// key parses a member's name: as a Go string where one holds it exactly
// (plain, with key nil, or plain "" and key the empty string), and as a goja
// string otherwise.
func (p *jsonParser[E]) key() (key goja.String, plain string) {
	start := p.i + 1
	if end, ok := p.simpleString(); ok {
		return nil, p.ascii(start, end)
	}
	s := p.escapedString()
	if wellFormed(p.buf) {
		return s, s.String()
	}
	return s, ""
}

// wellFormed reports whether units hold no lone surrogate.
func wellFormed(units []uint16) bool {
	for k := 0; k < len(units); k++ {
		switch u := units[k]; {
		case u < 0xd800 || u > 0xdfff:
		case u <= 0xdbff && k+1 < len(units) && utf16.IsSurrogate(rune(units[k+1])) && units[k+1] >= 0xdc00:
			k++
		default:
			return false
		}
	}
	return true
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
		if len(p.buf)&0x3ff == 0x3ff {
			p.j.poll.Step()
		}
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
	e, err := p.j.syntaxError(nil, p.j.vm.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	panic(e)
}
