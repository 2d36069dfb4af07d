// Package formdata binds the FormData interface of the XMLHttpRequest
// Standard (https://xhr.spec.whatwg.org/#interface-formdata) to a goja
// runtime: Register installs it on a webidl.Realm. There is no document, so
// no form element to construct a FormData from: the constructor takes no
// form (any value given for one fails to convert to HTMLFormElement, a
// TypeError). Entry values are strings or Files (package blob).
//
// The package also holds the two byte formats of a FormData, for the
// bindings that send and receive bodies (fetch and XMLHttpRequest): Encode
// serializes a FormData with the HTML Standard's multipart/form-data
// encoding algorithm, and ParseMultipart and ParseURLEncoded make a FormData
// from a multipart/form-data or application/x-www-form-urlencoded body, as
// the Body mixin's formData() does. The bytes Encode makes are charged to
// the memory budget of Env.Cluster (bindings.Budget) until collected
// (beyond it, V8's RangeError "Array buffer allocation failed"); a parsed
// File shares the bytes of the body it comes from, and the strings a parse
// decodes need room in the budget while they are decoded.
package formdata
