package formdata

import (
	"bytes"
	"crypto/rand"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/webidl"
)

// part is a field of a multipart/form-data body
// (https://www.rfc-editor.org/rfc/rfc7578#section-4): a file field has a
// filename and a content type.
type part struct {
	name        string
	value       []byte
	isFile      bool
	filename    string
	contentType string
}

// Encode runs the multipart/form-data encoding algorithm with UTF-8 on the
// entry list of v if v is a FormData of r, as extracting a body from a
// FormData does (https://fetch.spec.whatwg.org/#concept-bodyinit-extract):
// it returns the body and its type, `multipart/form-data; boundary=`
// followed by the boundary. ok is false if v is not a FormData. The body is
// charged to the memory budget until collected; beyond it, Encode throws
// V8's RangeError. Register must have been called for r.
func Encode(r *webidl.Realm, v goja.Value) (body []byte, contentType string, ok bool) {
	impl, ok := r.Impl(v, "FormData")
	if !ok {
		return nil, "", false
	}
	b := bindingOf(r)
	parts := b.encodingParts(impl.(*formData).list)
	boundary := newBoundary(parts)
	body, ok = encodeMultipart(b.budget, parts, boundary)
	if !ok {
		panic(r.NewRangeError(bindings.AllocationFailed))
	}
	return body, "multipart/form-data; boundary=" + boundary, true
}

// encodingParts implements steps 2 and 3 of the multipart/form-data
// encoding algorithm
// (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart-form-data)
// up to the bytes: newlines in names, and in values that are not Files,
// become CR LF; a File is a file field named after it, whose Content-Type
// is its type or application/octet-stream. UTF-8 is the encoding.
func (b *binding) encodingParts(list []entry) []part {
	parts := make([]part, len(list))
	for i, e := range list {
		p := part{name: normalizeNewlines(e.name)}
		if e.file == nil {
			p.value = []byte(normalizeNewlines(e.value))
		} else {
			p.isFile = true
			p.value, _ = blob.Bytes(b.r, e.file)
			p.filename, _, _ = blob.FileName(b.r, e.file)
			p.contentType, _ = blob.Type(b.r, e.file)
			if p.contentType == "" {
				p.contentType = "application/octet-stream"
			}
		}
		parts[i] = p
	}
	return parts
}

// normalizeNewlines replaces every CR not followed by LF, and every LF not
// preceded by CR, by CR LF.
func normalizeNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			sb.WriteString("\r\n")
			i++
		case c == '\r' || c == '\n':
			sb.WriteString("\r\n")
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// newBoundary returns a multipart/form-data boundary string that occurs in
// none of the parts, as RFC 2046 asks of a boundary
// (https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1): random, and drawn
// again in the unlikely event that it occurs.
func newBoundary(parts []part) string {
	for {
		boundary := "----wsjsFormBoundary" + rand.Text()
		if !occursIn(parts, []byte(boundary)) {
			return boundary
		}
	}
}

func occursIn(parts []part, s []byte) bool {
	for _, p := range parts {
		if bytes.Contains(p.value, s) || strings.Contains(p.name, string(s)) || strings.Contains(p.filename, string(s)) {
			return true
		}
	}
	return false
}

// encodeMultipart writes parts as a multipart/form-data body with boundary
// (https://www.rfc-editor.org/rfc/rfc7578#section-4), in memory charged to
// budget, and reports false if the budget has no room for it. Names and
// filenames are escaped as the HTML Standard says: LF, CR and `"` become
// %0A, %0D and %22, and nothing else is escaped. Fields other than files
// have no Content-Type.
func encodeMultipart(budget *bindings.Budget, parts []part, boundary string) ([]byte, bool) {
	var w multipartWriter
	w.boundary = boundary
	w.parts(parts) // measure
	if !budget.Fits(int64(w.n)) {
		return nil, false
	}
	w.buf = make([]byte, 0, w.n)
	w.parts(parts)
	if len(w.buf) > 0 && !bindings.Charge(budget, &w.buf[0], int64(len(w.buf))) {
		return nil, false
	}
	return w.buf, true
}

// multipartWriter writes a multipart/form-data body, or only counts its
// bytes while buf is nil.
type multipartWriter struct {
	boundary string
	buf      []byte
	n        int
}

func (w *multipartWriter) parts(parts []part) {
	for _, p := range parts {
		w.str("--" + w.boundary + "\r\n")
		w.str(`Content-Disposition: form-data; name="`)
		w.escaped(p.name)
		w.str(`"`)
		if p.isFile {
			w.str(`; filename="`)
			w.escaped(p.filename)
			w.str("\"\r\nContent-Type: " + p.contentType)
		}
		w.str("\r\n\r\n")
		w.bytes(p.value)
		w.str("\r\n")
	}
	w.str("--" + w.boundary + "--\r\n")
}

func (w *multipartWriter) escaped(s string) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			w.str("%0A")
		case '\r':
			w.str("%0D")
		case '"':
			w.str("%22")
		default:
			w.str(s[i : i+1])
		}
	}
}

func (w *multipartWriter) str(s string) {
	if w.buf == nil {
		w.n += len(s)
		return
	}
	w.buf = append(w.buf, s...)
}

func (w *multipartWriter) bytes(p []byte) {
	if w.buf == nil {
		w.n += len(p)
		return
	}
	w.buf = append(w.buf, p...)
}
