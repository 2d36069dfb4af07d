package filereader

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// syncReader holds the internal slots of a FileReaderSync: none, but each
// object has its own.
type syncReader struct{ _ byte }

// syncInterface describes FileReaderSync
// (https://w3c.github.io/FileAPI/#FileReaderSync), whose objects have no
// state.
func (b *binding) syncInterface() *webidl.Interface {
	readAs := func(name string, typ readType) webidl.Operation {
		return webidl.Operation{Name: name, Length: 1, Func: func(c webidl.Call) goja.Value {
			data, mimeType := b.toBlob(name, c.Arg(0))
			rd := read{typ: typ, mimeType: mimeType}
			if typ == readText {
				rd.encodingName = b.optionalDOMString(c.Arg(1))
			}
			return b.readSync(data, rd)
		}}
	}
	return &webidl.Interface{
		Name:        "FileReaderSync",
		Constructor: func(c webidl.Call) any { return &syncReader{} },
		Operations: []webidl.Operation{
			readAs("readAsArrayBuffer", readArrayBuffer),
			readAs("readAsBinaryString", readBinaryString),
			readAs("readAsText", readText),
			readAs("readAsDataURL", readDataURL),
		},
	}
}

// readSync runs the steps of the synchronous read methods
// (https://w3c.github.io/FileAPI/#readAsTextSync and those after it): all
// the Blob's bytes are read at once, as they are in memory, and packaged.
// A result the memory budget has no room for throws V8's RangeError.
func (b *binding) readSync(data []byte, rd read) goja.Value {
	v := b.packageData(data, rd)
	if v == nil {
		msg := bindings.AllocationFailed
		if rd.typ != readArrayBuffer {
			msg = stringAllocationFailed
		}
		panic(b.r.NewRangeError(msg))
	}
	return v
}

// stringAllocationFailed is V8's message for a string it cannot make.
const stringAllocationFailed = "Invalid string length"
