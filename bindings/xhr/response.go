package xhr

import (
	"bytes"
	"strings"

	"github.com/dop251/goja"

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
	if x.responseType == "" && enc == "" && isXMLMIMEType(x.finalMIMEType()) {
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
// (https://xhr.spec.whatwg.org/#final-charset): "" for null.
func (x *xhr) finalEncoding() string {
	// Steps 1-4.
	label, ok := x.responseMIMEType().Param("charset")
	if x.override != nil {
		if l, has := x.override.Param("charset"); has {
			label, ok = l, true
		}
	}
	// Steps 5-8.
	if !ok {
		return ""
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

// getEncoding runs "get an encoding"
// (https://encoding.spec.whatwg.org/#concept-encoding-get) on label: the
// encoding's name, or "" for failure (null).
func getEncoding(label string) string {
	name, _ := encoding.Lookup(label)
	return name
}

// decode runs "decode" (https://encoding.spec.whatwg.org/#decode) on data with
// the fallback encoding called enc, UTF-8 when "".
func decode(data []byte, enc string) string { return encoding.Decode(data, enc) }

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
