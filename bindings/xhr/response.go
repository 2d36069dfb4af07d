package xhr

import (
	"bytes"
	"strings"

	"github.com/dop251/goja"
	xenc "golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/fetch"
)

// response implements the response getter steps
// (https://xhr.spec.whatwg.org/#the-response-attribute).
func (x *xhr) response() goja.Value {
	r := x.b.r
	vm := r.VM()
	// Step 1.
	if x.responseType == "" || x.responseType == "text" {
		if x.state != loading && x.state != done {
			return vm.ToValue("")
		}
		return x.textResponse()
	}
	// Steps 2-4.
	if x.state != done || x.responseFailed {
		return goja.Null()
	}
	if x.responseObj != nil {
		return x.responseObj
	}
	// Steps 5-8. The received bytes no longer change: the ArrayBuffer and
	// the Blob take them over.
	switch x.responseType {
	case "arraybuffer":
		data := x.received.Bytes()
		if data == nil {
			data = []byte{}
		}
		x.responseObj = r.NewArrayBuffer(data)
	case "blob":
		x.responseObj = blob.New(r, x.received.Bytes(), x.finalMIMEType().String())
	case "document":
		// "Set a document response": there is no DOM to parse a document
		// into, so the response object stays null.
		return goja.Null()
	default: // "json"
		if x.resp.Body == nil {
			return goja.Null()
		}
		// "Parse JSON from bytes"; an exception gives null.
		v, err := x.b.jsonParse(goja.Undefined(), vm.ToValue(encoding.UTF8Decode(x.received.Bytes())))
		if err != nil {
			return goja.Null()
		}
		x.responseObj = v
	}
	// Step 9.
	return x.responseObj
}

// responseText implements the responseText getter steps
// (https://xhr.spec.whatwg.org/#the-responsetext-attribute).
func (x *xhr) responseText() goja.Value {
	// Step 1.
	if x.responseType != "" && x.responseType != "text" {
		x.b.r.ThrowDOMException("InvalidStateError", "Failed to read the 'responseText' property from 'XMLHttpRequest': The value is only accessible if the object's 'responseType' is '' or 'text' (was '"+x.responseType+"').")
	}
	// Step 2.
	if x.state != loading && x.state != done {
		return x.b.r.VM().ToValue("")
	}
	// Step 3.
	return x.textResponse()
}

// responseXML implements the responseXML getter steps
// (https://xhr.spec.whatwg.org/#the-responsexml-attribute). With no DOM, no
// document is ever made: the result is null.
func (x *xhr) responseXML() goja.Value {
	// Step 1.
	if x.responseType != "" && x.responseType != "document" {
		x.b.r.ThrowDOMException("InvalidStateError", "Failed to read the 'responseXML' property from 'XMLHttpRequest': The value is only accessible if the object's 'responseType' is '' or 'document' (was '"+x.responseType+"').")
	}
	// Steps 2-6: "set a document response" sets nothing.
	return goja.Null()
}

// textResponse implements "get a text response"
// (https://xhr.spec.whatwg.org/#text-response). The result is kept until more bytes
// are received.
func (x *xhr) textResponse() goja.Value {
	vm := x.b.r.VM()
	// Step 1.
	if x.resp.Body == nil {
		return vm.ToValue("")
	}
	if x.text != nil && x.textLen == x.received.Len() {
		return x.text
	}
	// Step 2.
	enc := x.finalEncoding()
	// Step 3: the XML rules for the encoding, a byte order mark (which
	// decoding looks at anyway) or the XML declaration.
	if x.responseType == "" && enc == nil && isXMLMIMEType(x.finalMIMEType()) {
		enc = getEncoding(xmlEncodingLabel(x.received.Bytes()))
	}
	// Steps 4-5.
	x.text = vm.ToValue(decode(x.received.Bytes(), enc))
	x.textLen = x.received.Len()
	return x.text
}

// responseMIMEType implements "get a response MIME type"
// (https://xhr.spec.whatwg.org/#response-mime-type).
func (x *xhr) responseMIMEType() *fetch.MIMEType {
	// Steps 1-3.
	if mt, ok := x.resp.Header.MIMEType(); ok {
		return mt
	}
	mt, _ := fetch.ParseMIMEType("text/xml")
	return mt
}

// finalMIMEType implements "get a final MIME type"
// (https://xhr.spec.whatwg.org/#final-mime-type).
func (x *xhr) finalMIMEType() *fetch.MIMEType {
	if x.override == nil {
		return x.responseMIMEType()
	}
	return x.override
}

// finalEncoding implements "get a final encoding"
// (https://xhr.spec.whatwg.org/#final-charset): nil for null.
func (x *xhr) finalEncoding() *textEncoding {
	// Steps 1-4.
	label, ok := x.responseMIMEType().Param("charset")
	if x.override != nil {
		if l, has := x.override.Param("charset"); has {
			label, ok = l, true
		}
	}
	// Steps 5-8.
	if !ok {
		return nil
	}
	return getEncoding(label)
}

// isXMLMIMEType reports whether mt is an XML MIME type
// (https://mimesniff.spec.whatwg.org/#xml-mime-type): a
// subtype ending in "+xml", text/xml or application/xml.
func isXMLMIMEType(mt *fetch.MIMEType) bool {
	e := mt.Essence()
	return strings.HasSuffix(e, "+xml") || e == "text/xml" || e == "application/xml"
}

// A textEncoding is an encoding of the Encoding Standard
// (https://encoding.spec.whatwg.org/#names-and-labels).
type textEncoding struct {
	utf8 bool
	x    xenc.Encoding
}

var (
	utf8Encoding    = &textEncoding{utf8: true}
	utf16BEEncoding = mustEncoding("utf-16be")
	utf16LEEncoding = mustEncoding("utf-16le")
)

func mustEncoding(label string) *textEncoding {
	e := getEncoding(label)
	if e == nil {
		panic("xhr: no encoding " + label)
	}
	return e
}

// getEncoding implements "get an encoding"
// (https://encoding.spec.whatwg.org/#concept-encoding-get) from label: nil for
// failure. golang.org/x/text/encoding/htmlindex holds the standard's table of
// labels; its own matching would also trim Unicode white space and fold non-ASCII
// letters, which the standard does not.
func getEncoding(label string) *textEncoding {
	// Step 1: remove leading and trailing ASCII whitespace.
	label = strings.Trim(label, "\t\n\f\r ")
	// Step 2: an ASCII case-insensitive match of a label, all of which
	// are short ASCII strings without whitespace.
	if label == "" || len(label) > 32 {
		return nil
	}
	for i := 0; i < len(label); i++ {
		if c := label[i]; c <= ' ' || c >= 0x7F {
			return nil
		}
	}
	e, err := htmlindex.Get(strings.ToLower(label))
	if err != nil {
		return nil
	}
	if name, _ := htmlindex.Name(e); name == "utf-8" {
		return utf8Encoding
	}
	return &textEncoding{x: e}
}

// decode implements "decode" (https://encoding.spec.whatwg.org/#decode) of data
// with the fallback encoding enc, UTF-8 when nil: a byte order mark chooses the
// encoding instead and is removed, and errors become U+FFFD.
func decode(data []byte, enc *textEncoding) string {
	// Steps 1-3: BOM sniffing.
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		enc, data = utf8Encoding, data[3:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc, data = utf16BEEncoding, data[2:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc, data = utf16LEEncoding, data[2:]
	case enc == nil:
		enc = utf8Encoding
	}
	// Steps 4-5. No bytes decode to nothing in every encoding (the
	// x/text replacement decoder would give U+FFFD).
	if len(data) == 0 {
		return ""
	}
	if enc.utf8 {
		return encoding.UTF8DecodeWithoutBOM(data)
	}
	out, err := enc.x.NewDecoder().Bytes(data)
	if err != nil {
		// The x/text decoders write U+FFFD for what they cannot decode;
		// one that stops anyway ends with one.
		out = append(out, "\uFFFD"...)
	}
	return string(bytes.ToValidUTF8(out, []byte("\uFFFD")))
}

// xmlEncodingLabel returns the encoding name of the XML declaration at the start
// of data (XML 1.0's XMLDecl, https://www.w3.org/TR/xml/#NT-XMLDecl, and
// EncodingDecl, https://www.w3.org/TR/xml/#NT-EncodingDecl), or "" when there is no
// declaration or it names no encoding.
func xmlEncodingLabel(data []byte) string {
	// The declaration is short; a kilobyte is plenty.
	if len(data) > 1024 {
		data = data[:1024]
	}
	// XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'
	if !bytes.HasPrefix(data, []byte("<?xml")) || len(data) < 6 || !isXMLSpace(data[5]) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := data[5:end]
	// EncodingDecl ::= S 'encoding' Eq ('"' EncName '"' | "'" EncName "'")
	for i := 1; i+len("encoding") <= len(decl); i++ {
		if !isXMLSpace(decl[i-1]) || !bytes.HasPrefix(decl[i:], []byte("encoding")) {
			continue
		}
		rest := decl[i+len("encoding"):]
		// Eq ::= S? '=' S?
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 || rest[0] != '=' {
			return ""
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return ""
		}
		quote := rest[0]
		n := bytes.IndexByte(rest[1:], quote)
		if n < 0 {
			return ""
		}
		name := rest[1 : 1+n]
		if !isEncName(name) {
			return ""
		}
		return string(name)
	}
	return ""
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isEncName reports whether b matches EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*.
func isEncName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}
