package formdata

import (
	"bytes"
)

// parseMultipart parses body as multipart/form-data with boundary, as the
// Body mixin's formData() asks (https://fetch.spec.whatwg.org/#dom-body-formdata:
// "the rules set forth in Returning Values from Forms: multipart/form-data",
// https://www.rfc-editor.org/rfc/rfc7578), following the steps browsers agree
// on (https://andreubotella.github.io/multipart-form-data/#multipart-form-data-parser):
// the body starts with the first delimiter and ends with the close
// delimiter, every part has a Content-Disposition of form-data with a name,
// lines end with CR LF. It reports false for a body that does not parse.
// The values returned share body's bytes; names and filenames are not yet
// UTF-8 decoded.
func parseMultipart(body []byte, boundary string) ([]part, bool) {
	// Step 5: the body starts with "--" and the boundary.
	dashBoundary := "--" + boundary
	if !bytes.HasPrefix(body, []byte(dashBoundary)) {
		return nil, false
	}
	// Step 6.
	pos := len(dashBoundary)
	delimiter := []byte("\r\n" + dashBoundary)
	var parts []part
	// Step 7.
	for {
		rest := body[pos:]
		// Step 7.1: "--" after a delimiter closes the body.
		if bytes.HasPrefix(rest, []byte("--")) {
			return parts, true
		}
		// Steps 7.2-7.3.
		if !bytes.HasPrefix(rest, []byte("\r\n")) {
			return nil, false
		}
		pos += 2
		// Steps 7.4-7.5: the headers, then the empty line that ends them.
		p, n, ok := parseHeaders(body[pos:])
		if !ok {
			return nil, false
		}
		pos += n + 2
		// Steps 7.6-7.8: the content runs to the next delimiter.
		end := bytes.Index(body[pos:], delimiter)
		if end < 0 {
			return nil, false
		}
		p.value = body[pos : pos+end : pos+end]
		pos += end + len(delimiter)
		// Step 7.9: a file without a Content-Type is text/plain.
		if p.isFile && !p.hasType {
			p.contentType = "text/plain"
		}
		parts = append(parts, p.part)
	}
}

// parsedPart is a part being parsed: hasType tells whether it had a
// Content-Type header.
type parsedPart struct {
	part
	hasType bool
}

// parseHeaders parses the header lines of a part up to the empty line that
// ends them ("parse multipart/form-data headers"). It returns the part's
// name, filename and content type and the length of the header lines,
// before the empty line; ok is false for headers that do not parse or
// without a Content-Disposition naming the part.
func parseHeaders(in []byte) (p parsedPart, n int, ok bool) {
	hasName := false
	for {
		// Step 2.1: an empty line ends the headers.
		if bytes.HasPrefix(in[n:], []byte("\r\n")) {
			return p, n, hasName
		}
		// Steps 2.2-2.6: a token, then a colon.
		line := in[n:]
		i := bytes.IndexAny(line, "\r\n:")
		if i < 0 || line[i] != ':' {
			return p, 0, false
		}
		name := bytes.Trim(line[:i], " \t")
		if !isToken(name) {
			return p, 0, false
		}
		// Step 2.7: skip spaces and tabs.
		j := i + 1
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		// Step 2.8: the rest of the line is the value.
		k := j + lineEnd(line[j:])
		value := line[j:k]
		switch string(bytes.ToLower(name)) {
		case "content-disposition":
			p.name, p.isFile, p.filename = "", false, ""
			if !parseDisposition(&p.part, value) {
				return p, 0, false
			}
			hasName = true
		case "content-type":
			p.contentType, p.hasType = isomorphicDecode(bytes.TrimRight(value, " \t")), true
		}
		// Step 2.9: the line ends with CR LF.
		if !bytes.HasPrefix(line[k:], []byte("\r\n")) {
			return p, 0, false
		}
		n += k + 2
	}
}

// lineEnd returns the index of the first CR or LF of s, or len(s).
func lineEnd(s []byte) int {
	if i := bytes.IndexAny(s, "\r\n"); i >= 0 {
		return i
	}
	return len(s)
}

// parseDisposition parses the value of a Content-Disposition header, which
// must be `form-data; name="` followed by the name, its closing quote and
// optionally `; filename="`, the filename and its closing quote, and
// nothing else.
func parseDisposition(p *part, v []byte) bool {
	const prefix, filePrefix = `form-data; name="`, `; filename="`
	if !bytes.HasPrefix(v, []byte(prefix)) {
		return false
	}
	name, rest, ok := parseQuotedName(v[len(prefix):])
	if !ok {
		return false
	}
	p.name = name
	if bytes.HasPrefix(rest, []byte(filePrefix)) {
		if p.filename, rest, ok = parseQuotedName(rest[len(filePrefix):]); !ok {
			return false
		}
		p.isFile = true
	}
	return len(rest) == 0
}

// parseQuotedName parses a name or filename up to its closing quote ("parse
// a multipart/form-data name"): %0A, %0D and %22 stand for LF, CR and `"`,
// the escapes the HTML Standard's encoder makes. It returns the name, still
// UTF-8 encoded, and what follows the quote.
func parseQuotedName(s []byte) (name string, rest []byte, ok bool) {
	i := bytes.IndexByte(s, '"')
	if i < 0 {
		return "", nil, false
	}
	raw := s[:i]
	if bytes.IndexByte(raw, '\r') >= 0 || bytes.IndexByte(raw, '\n') >= 0 {
		return "", nil, false
	}
	raw = bytes.ReplaceAll(raw, []byte("%0A"), []byte("\n"))
	raw = bytes.ReplaceAll(raw, []byte("%0D"), []byte("\r"))
	raw = bytes.ReplaceAll(raw, []byte("%22"), []byte(`"`))
	return string(raw), s[i+1:], true
}

// isToken reports whether s is an HTTP token
// (https://httpwg.org/specs/rfc9110.html#tokens).
func isToken(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c >= 0x7F || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), c) >= 0 {
			return false
		}
	}
	return true
}

// isomorphicDecode turns each byte of s into the code point of its value.
func isomorphicDecode(s []byte) string {
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}
