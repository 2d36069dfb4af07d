package builtins

import (
	"github.com/dop251/goja"
)

// JSON.parse source text access (https://tc39.es/proposal-json-parse-with-source/):
// a reviver is called with a third argument, a context object whose source
// is the text of the value it is given, if that is a primitive the parse
// made and the reviver has not replaced. Where a reviver is given, the parse
// (jsontext.go) makes the JSON Parse Records
// (https://tc39.es/proposal-json-parse-with-source/#sec-json-parse-record)
// as it makes the values.

// A parseRecord is a JSON Parse Record: the value of a node of the text,
// its source text if it is a primitive, and the records of its elements or
// entries (a later member of the same name replacing an earlier one's).
type parseRecord struct {
	value    goja.Value
	source   goja.String
	elements []*parseRecord
	entries  map[string]*parseRecord
}
