// Package base64 installs the atob and btoa methods of the HTML Standard
// ("Base64 utility methods",
// https://html.spec.whatwg.org/multipage/webappapis.html#atob) on a goja
// runtime: btoa encodes a string of Latin-1 code units, atob decodes with the
// Infra Standard's forgiving-base64 decode
// (https://infra.spec.whatwg.org/#forgiving-base64-decode), and both throw an
// "InvalidCharacterError" DOMException for input they cannot handle.
// ForgivingDecode, that decode on bytes, serves the other bindings too, such as
// fetch for data: URLs.
package base64
