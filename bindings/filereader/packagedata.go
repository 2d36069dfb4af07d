package filereader

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/fetch"
)

// A readType is what a read method makes of a Blob's bytes.
type readType int

const (
	readArrayBuffer readType = iota
	readBinaryString
	readText
	readDataURL
)

// A read is what "package data" needs besides the bytes: the read method's
// type, the Blob's type and, for readAsText, the encoding argument.
type read struct {
	typ          readType
	mimeType     string
	encodingName *string // nil when absent
}

// packageData runs "package data"
// (https://w3c.github.io/FileAPI/#blob-package-data) on data. It returns nil
// when the memory budget has no room for the result: the ArrayBuffer's
// bytes, or room for the string while it is made, as Blob.text() needs.
func (b *binding) packageData(data []byte, rd read) goja.Value {
	if rd.typ == readArrayBuffer {
		// A new ArrayBuffer whose contents are bytes.
		buf, ok := bindings.Copy(b.budget, data)
		if !ok {
			return nil
		}
		return b.r.NewArrayBuffer(buf)
	}
	size := int64(len(data))
	if rd.typ == readDataURL {
		size = int64(base64.StdEncoding.EncodedLen(len(data)))
	}
	if !b.budget.Reserve(size) {
		return nil
	}
	defer b.budget.Release(size)
	switch rd.typ {
	case readBinaryString:
		return b.r.VM().ToValue(isomorphicDecode(data))
	case readText:
		return b.r.VM().ToValue(encoding.Decode(data, textEncoding(rd)))
	default:
		return b.r.VM().ToValue(dataURL(data, rd.mimeType))
	}
}

// textEncoding returns the name of the encoding readAsText decodes with
// (the Text steps of https://w3c.github.io/FileAPI/#blob-package-data), ""
// for UTF-8.
func textEncoding(rd read) string {
	// Steps 1-2: the encoding argument.
	if rd.encodingName != nil {
		if name, ok := encoding.Lookup(*rd.encodingName); ok {
			return name
		}
	}
	// Step 3: the charset parameter of the Blob's type.
	if mt, ok := fetch.ParseMIMEType(rd.mimeType); ok {
		if label, ok := mt.Param("charset"); ok {
			if name, ok := encoding.Lookup(label); ok {
				return name
			}
		}
	}
	// Step 4: UTF-8.
	return ""
}

// isomorphicDecode returns data as a binary string, one code unit per byte
// (Infra "isomorphic decode", https://infra.spec.whatwg.org/#isomorphic-decode),
// in UTF-8.
func isomorphicDecode(data []byte) string {
	high := 0
	for _, c := range data {
		if c >= utf8.RuneSelf {
			high++
		}
	}
	if high == 0 {
		return string(data)
	}
	out := make([]byte, 0, len(data)+high)
	for _, c := range data {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// dataURL returns data as a data: URL (RFC 2397,
// https://www.rfc-editor.org/rfc/rfc2397#section-2) in base64 with the Blob's
// type as its media type. For a Blob without a type, the File API asks for
// a URL without a media type; browsers, and the web-platform-tests, give
// application/octet-stream, which says the same.
func dataURL(data []byte, mimeType string) string {
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	const prefix, sep = "data:", ";base64,"
	out := make([]byte, 0, len(prefix)+len(mimeType)+len(sep)+base64.StdEncoding.EncodedLen(len(data)))
	out = append(out, prefix...)
	out = append(out, mimeType...)
	out = append(out, sep...)
	out = base64.StdEncoding.AppendEncode(out, data)
	return string(out)
}
