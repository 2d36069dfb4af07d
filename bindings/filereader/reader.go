package filereader

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// The states of a FileReader (https://w3c.github.io/FileAPI/#blobreader-state),
// numbered as readyState shows them.
const (
	empty = iota
	loading
	done
)

// reader holds the internal slots of a FileReader
// (https://w3c.github.io/FileAPI/#APIASynch). Its fields are used on the
// loop goroutine only.
type reader struct {
	events.Target
	b      *binding
	this   *goja.Object
	state  int
	result goja.Value // nil for null
	err    goja.Value // nil for null
	// loaded and total are the bytes read and to read of the latest read,
	// which its progress events report.
	loaded, total int
	// op is the read operation in flight; its tasks do nothing once it is
	// no longer the reader's, which is how abort() removes them.
	op *operation
}

// An operation is one run of the read operation.
type operation struct {
	data []byte
	read
}

// handlers are FileReader's event handler attributes
// (https://w3c.github.io/FileAPI/#event-handler-attributes-section).
var handlers = []string{"onloadstart", "onprogress", "onload", "onabort", "onerror", "onloadend"}

// readerInterface describes FileReader (https://w3c.github.io/FileAPI/#APIASynch).
func (b *binding) readerInterface() *webidl.Interface {
	vm := b.r.VM()
	get := func(c webidl.Call) *reader { return c.Impl.(*reader) }
	readAs := func(name string, typ readType) webidl.Operation {
		return webidl.Operation{Name: name, Length: 1, Func: func(c webidl.Call) goja.Value {
			data, mimeType := b.toBlob(name, c.Arg(0))
			rd := read{typ: typ, mimeType: mimeType}
			if typ == readText {
				rd.encodingName = b.optionalDOMString(c.Arg(1))
			}
			get(c).readOperation(name, data, rd)
			return nil
		}}
	}
	attrs := []webidl.Attribute{
		{Name: "readyState", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).state) }},
		{Name: "result", Get: func(c webidl.Call) goja.Value { return orNull(get(c).result) }},
		{Name: "error", Get: func(c webidl.Call) goja.Value { return orNull(get(c).err) }},
	}
	for _, h := range handlers {
		attrs = append(attrs, events.HandlerAttribute(h))
	}
	return &webidl.Interface{
		Name:   "FileReader",
		Parent: "EventTarget",
		Constructor: func(c webidl.Call) any {
			return &reader{b: b, this: c.This}
		},
		Constants: []webidl.Constant{
			{Name: "EMPTY", Value: empty},
			{Name: "LOADING", Value: loading},
			{Name: "DONE", Value: done},
		},
		Attributes: attrs,
		Operations: []webidl.Operation{
			readAs("readAsArrayBuffer", readArrayBuffer),
			readAs("readAsBinaryString", readBinaryString),
			readAs("readAsText", readText),
			readAs("readAsDataURL", readDataURL),
			{Name: "abort", Func: func(c webidl.Call) goja.Value {
				get(c).abort()
				return nil
			}},
		},
	}
}

func orNull(v goja.Value) goja.Value {
	if v == nil {
		return goja.Null()
	}
	return v
}

// readOperation runs the read operation
// (https://w3c.github.io/FileAPI/#readOperation) on the bytes of a Blob for
// the read method method.
func (fr *reader) readOperation(method string, data []byte, rd read) {
	// Step 1.
	if fr.state == loading {
		fr.b.r.ThrowDOMException("InvalidStateError", "Failed to execute '"+method+"' on 'FileReader': The object is already busy reading Blobs.")
	}
	// Steps 2-4.
	fr.state = loading
	fr.result, fr.err = nil, nil
	// Steps 5-9: the Blob's stream would give its bytes, which never
	// change, in chunks; reading them in parallel takes no time, so step 10
	// comes down to the tasks it queues.
	op := &operation{data: data, read: rd}
	fr.op = op
	fr.loaded, fr.total = 0, len(data)
	// Step 10.2: the first chunk (or the end, for no bytes) queues loadstart.
	fr.queue(op, func() { fr.fireProgress("loadstart") })
	// Step 10.4.3: the first chunk queues progress, roughly 50ms having
	// passed since never; the others follow within the same instant.
	if len(data) > 0 {
		fr.queue(op, func() {
			fr.loaded = len(data)
			fr.fireProgress("progress")
		})
	}
	// Step 10.5: the end queues the rest.
	fr.queue(op, func() { fr.finish(op) })
}

// queue queues task on the file reading task source
// (https://w3c.github.io/FileAPI/#fileReadingTaskSource) for op, which does
// nothing once op is no longer fr's.
func (fr *reader) queue(op *operation, task func()) {
	fr.b.queue(func() {
		if fr.op == op {
			task()
		}
	})
}

// finish runs the steps of step 10.5 of the read operation
// (https://w3c.github.io/FileAPI/#readOperation), op's bytes all read.
func (fr *reader) finish(op *operation) {
	fr.op = nil
	fr.loaded = len(op.data)
	// Step 10.5.1.
	fr.state = done
	// Step 10.5.2. Package data cannot fail here but for want of memory;
	// error is a DOMException?, and a read that fails is a
	// NotReadableError (https://w3c.github.io/FileAPI/#dfn-NotReadableError).
	result := fr.b.packageData(op.data, op.read)
	if result == nil {
		// Step 10.5.3.
		fr.err = fr.b.r.NewDOMException("NotReadableError", "The result of the read does not fit in the memory budget.")
		fr.fireProgress("error")
	} else {
		// Step 10.5.4.
		fr.result = result
		fr.fireProgress("load")
	}
	// Step 10.5.5: unless a handler started another read.
	if fr.state != loading {
		fr.fireProgress("loadend")
	}
}

// abort implements the abort() method steps
// (https://w3c.github.io/FileAPI/#dfn-abort).
func (fr *reader) abort() {
	// Step 1.
	if fr.state == empty || fr.state == done {
		fr.result = nil
		return
	}
	// Step 2.
	fr.state = done
	fr.result = nil
	// Steps 3-4: the read's queued tasks do nothing now.
	fr.op = nil
	// Step 5.
	fr.fireProgress("abort")
	// Step 6: unless a handler started another read.
	if fr.state != loading {
		fr.fireProgress("loadend")
	}
}

// fireProgress implements "fire a progress event" called typ at fr
// (https://w3c.github.io/FileAPI/#fire-a-progress-event): a ProgressEvent
// that neither bubbles nor is cancelable. The File API leaves its loaded and
// total to the user agent: they are the bytes read so far and the Blob's
// size, as browsers give them.
func (fr *reader) fireProgress(typ string) {
	ev, err := events.NewProgressEvent(fr.b.r, typ, events.ProgressEventInit{
		LengthComputable: true,
		Loaded:           float64(fr.loaded),
		Total:            float64(fr.total),
	})
	if err != nil {
		return
	}
	_, _ = events.Dispatch(fr.b.r, fr.this, ev)
}
