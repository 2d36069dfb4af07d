package formdata

import (
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// stringAllocationFailed is V8's message for a string it cannot make: the
// reason of a parse whose strings the memory budget has no room for.
const stringAllocationFailed = "Invalid string length"

// ParseMultipart returns a new FormData of r holding the entries of body,
// parsed as multipart/form-data with boundary, as formData() does
// (https://fetch.spec.whatwg.org/#dom-body-formdata): a part with a filename
// is a File with that name and the part's Content-Type (text/plain without
// one), sharing body's bytes, which must not change; any other part is a
// string, its bytes UTF-8 decoded without BOM whatever its Content-Type
// says. For a body that does not parse, it returns instead a TypeError as
// reason; for strings the memory budget has no room for while they are
// decoded, V8's RangeError. Register must have been called for r.
func ParseMultipart(r *webidl.Realm, body []byte, boundary string) (fd *goja.Object, reason goja.Value) {
	parts, ok := parseMultipart(body, boundary)
	if !ok {
		return nil, r.VM().NewTypeError("Failed to parse the body as multipart/form-data.")
	}
	// The names and the values that are not files are decoded.
	n := int64(0)
	for _, p := range parts {
		n += int64(len(p.name) + len(p.filename))
		if !p.isFile {
			n += int64(len(p.value))
		}
	}
	b := bindingOf(r)
	if !b.budget.Reserve(n) {
		return nil, r.NewRangeError(stringAllocationFailed)
	}
	defer b.budget.Release(n)
	list := make([]entry, len(parts))
	for i, p := range parts {
		e := entry{name: encoding.UTF8DecodeWithoutBOM([]byte(p.name))}
		if p.isFile {
			// Files keep the time they are made at, as the File
			// constructor's default does.
			name := encoding.UTF8DecodeWithoutBOM([]byte(p.filename))
			e.file = blob.NewFile(r, p.value, p.contentType, name, time.Now().UnixMilli())
		} else {
			e.value = encoding.UTF8DecodeWithoutBOM(p.value)
		}
		list[i] = e
	}
	return r.New("FormData", &formData{list: list}), nil
}

// ParseURLEncoded returns a new FormData of r holding the name-value tuples
// of body parsed as application/x-www-form-urlencoded
// (https://url.spec.whatwg.org/#concept-urlencoded-parser), as formData()
// does (https://fetch.spec.whatwg.org/#dom-body-formdata), or, when the
// memory budget has no room for the strings while they are decoded, V8's
// RangeError as reason. Register must have been called for r.
func ParseURLEncoded(r *webidl.Realm, body []byte) (fd *goja.Object, reason goja.Value) {
	b := bindingOf(r)
	n := int64(len(body))
	if !b.budget.Reserve(n) {
		return nil, r.NewRangeError(stringAllocationFailed)
	}
	defer b.budget.Release(n)
	pairs := url.ParseURLEncoded(string(body))
	list := make([]entry, len(pairs))
	for i, p := range pairs {
		list[i] = entry{name: p[0], value: p[1]}
	}
	return r.New("FormData", &formData{list: list}), nil
}
