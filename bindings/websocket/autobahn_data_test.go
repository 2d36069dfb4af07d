package websocket

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The data of the Autobahn-style suite: the UTF-8 sequences of cases 6.5 to 6.23,
// from Markus Kuhn's UTF-8 decoder stress test as Autobahn groups them, and the
// payloads of the compression cases, made here in the likeness of Autobahn's files.

type utf8Seq struct {
	valid bool
	p     string
}

type utf8Group struct {
	name string
	seqs []utf8Seq
}

func invalid(ps ...string) []utf8Seq {
	out := make([]utf8Seq, len(ps))
	for i, p := range ps {
		out[i] = utf8Seq{false, p}
	}
	return out
}

func valid(ps ...string) []utf8Seq {
	out := make([]utf8Seq, len(ps))
	for i, p := range ps {
		out[i] = utf8Seq{true, p}
	}
	return out
}

func utf8Sequences() []utf8Group {
	var prefixes []utf8Seq
	for i := 1; i <= len(utf8Kosme); i++ {
		// A prefix ending inside a code point is an incomplete message: invalid.
		prefixes = append(prefixes, utf8Seq{utf8.ValidString(utf8Kosme[:i]), utf8Kosme[:i]})
	}
	var cont strings.Builder
	for b := 0x80; b < 0xbf; b++ {
		cont.WriteByte(byte(b))
	}
	var lonely []string
	for _, r := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}} {
		var s strings.Builder
		for b := r[0]; b < r[1]; b++ {
			s.WriteByte(byte(b))
			s.WriteByte(' ')
		}
		lonely = append(lonely, s.String())
	}
	missing := []string{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"}
	nonChars := valid("\xef\xbf\xbe", "\xef\xbf\xbf")
	for _, b1 := range []byte{0xf0, 0xf1, 0xf2, 0xf3, 0xf4} {
		for _, b2 := range []byte{0x8f, 0x9f, 0xaf, 0xbf} {
			for _, b4 := range []byte{0xbe, 0xbf} {
				s := string([]byte{b1, b2, 0xbf, b4})
				// Past U+10FFFF, and the overlong forms, are not non-characters.
				if b1 == 0xf4 && b2 != 0x8f || b1 == 0xf0 && b2 == 0x8f {
					continue
				}
				nonChars = append(nonChars, utf8Seq{true, s})
			}
		}
	}
	return []utf8Group{
		{"some valid UTF-8 sequences", valid("hello\x24world", "hello\xc2\xa2world", "hello\xe2\x82\xacworld", "hello\xf0\xa4\xad\xa2world", utf8Kosme)},
		{"every prefix of a valid string with multi-byte code points", prefixes},
		{"first possible sequence of each length", valid("\x00", "\xc2\x80", "\xe0\xa0\x80", "\xf0\x90\x80\x80")},
		{"first possible sequence of length 5 and 6 (no code point)", invalid("\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80")},
		{"last possible sequence of each length", valid("\x7f", "\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf")},
		{"last possible sequence of length 4 to 6 (no code point)", invalid("\xf7\xbf\xbf\xbf", "\xfb\xbf\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf\xbf")},
		{"other boundary conditions", append(valid("\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"), invalid("\xf4\x90\x80\x80")...)},
		{"unexpected continuation bytes", invalid("\x80", "\xbf", "\x80\xbf", "\x80\xbf\x80", "\x80\xbf\x80\xbf", "\x80\xbf\x80\xbf\x80", "\x80\xbf\x80\xbf\x80\xbf", cont.String())},
		{"lonely start bytes, each followed by a space", invalid(lonely...)},
		{"sequences with the last continuation byte missing", invalid(missing...)},
		{"concatenation of incomplete sequences", invalid(strings.Join(missing, ""))},
		{"impossible bytes", invalid("\xfe", "\xff", "\xfe\xfe\xff\xff")},
		{"overlong forms of an ASCII character", invalid("\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", "\xfc\x80\x80\x80\x80\xaf")},
		{"maximum overlong sequences", invalid("\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf", "\xfc\x83\xbf\xbf\xbf\xbf")},
		{"overlong forms of NUL", invalid("\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80", "\xfc\x80\x80\x80\x80\x80")},
		{"single UTF-16 surrogates", invalid("\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf")},
		{"paired UTF-16 surrogates", invalid("\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x80\xed\xbf\xbf", "\xed\xad\xbf\xed\xb0\x80", "\xed\xad\xbf\xed\xbf\xbf",
			"\xed\xae\x80\xed\xb0\x80", "\xed\xae\x80\xed\xbf\xbf", "\xed\xaf\xbf\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf")},
		{"non-character code points (valid UTF-8)", nonChars},
		{"Unicode specials (valid UTF-8)", valid("\xef\xbf\xb9", "\xef\xbf\xba", "\xef\xbf\xbb", "\xef\xbf\xbc", "\xef\xbf\xbd", "\xef\xbf\xbe", "\xef\xbf\xbf")},
	}
}

// abData is a payload of the compression cases, in the likeness of one of
// Autobahn's files: JSON, a bitmap, German prose, HTML and a PDF.
type abData struct {
	name   string
	binary bool
	data   []byte
}

// slicer returns successive messages of n bytes (n characters of text) taken
// from d, wrapping around at its end, as Autobahn's cases take them.
func (d abData) slicer(n int) func() []byte {
	if !d.binary {
		runes := []rune(string(d.data))
		at := 0
		return func() []byte {
			var b strings.Builder
			for range n {
				b.WriteRune(runes[at])
				at = (at + 1) % len(runes)
			}
			return []byte(b.String())
		}
	}
	at := 0
	return func() []byte {
		out := make([]byte, n)
		for i := range out {
			out[i] = d.data[at]
			at = (at + 1) % len(d.data)
		}
		return out
	}
}

func abDataSets() []abData {
	rng := rand.New(rand.NewPCG(6455, 7692))
	words := strings.Fields("Habe nun ach Philosophie Juristerei und Medizin und leider auch Theologie durchaus studiert mit heißem Bemühn " +
		"Da steh ich nun ich armer Tor und bin so klug als wie zuvor Heiße Magister heiße Doktor gar Grüße Fräulein schöne Straße")
	pick := func() string { return words[rng.IntN(len(words))] }
	var js, prose, html bytes.Buffer
	js.WriteString("[")
	for i := 0; js.Len() < 300<<10; i++ {
		fmt.Fprintf(&js, `{"id":%d,"name":"%s %s","score":%.3f,"tags":["%s","%s"],"active":%v},`+"\n",
			i, pick(), pick(), rng.Float64()*100, pick(), pick(), rng.IntN(2) == 0)
	}
	js.WriteString("{}]")
	for prose.Len() < 300<<10 {
		for range 8 + rng.IntN(12) {
			prose.WriteString(pick() + " ")
		}
		prose.WriteString(".\n")
	}
	html.WriteString("<!DOCTYPE html><html><body>\n")
	for i := 0; html.Len() < 300<<10; i++ {
		fmt.Fprintf(&html, "<div class=\"row r%d\"><a href=\"/item/%d\">%s</a> <span>%s – %s</span></div>\n", i%7, i, pick(), pick(), pick())
	}
	bitmap := make([]byte, 512*512)
	for y := range 512 {
		for x := range 512 {
			bitmap[y*512+x] = byte((x*y)>>7) + byte(rng.IntN(6))
		}
	}
	pdf := make([]byte, 300<<10)
	for i := 0; i < len(pdf); {
		if rng.IntN(3) == 0 {
			i += copy(pdf[i:], "obj << /Type /Page /Length 4096 >> stream\n")
			continue
		}
		for j := 0; j < 512 && i < len(pdf); j++ {
			pdf[i] = byte(rng.Uint32())
			i++
		}
	}
	// Autobahn's order of 12.1 to 12.5.
	return []abData{
		{"JSON (text)", false, js.Bytes()},
		{"512x512 bitmap (binary)", true, bitmap},
		{"German prose (binary)", true, prose.Bytes()},
		{"HTML (text)", false, html.Bytes()},
		{"PDF-like, mostly incompressible (binary)", true, pdf},
	}
}
