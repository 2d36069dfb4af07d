package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// reader is a ReadableStreamDefaultReader or a ReadableStreamBYOBReader.
type reader interface {
	setUp(s *readableStream)
	release()
	generic() *genericReader
}

func (r *genericReader) generic() *genericReader { return r }

// readerInterface returns the reader interface name, whose constructor sets up the
// reader newReader makes: its members are those of the ReadableStreamGenericReader
// mixin (https://streams.spec.whatwg.org/#readablestreamgenericreader), read, which
// is the interface's own, and releaseLock().
func (b *binding) readerInterface(name string, newReader func() reader, read webidl.Operation) *webidl.Interface {
	impl := func(c webidl.Call) reader { return c.Impl.(reader) }
	return &webidl.Interface{
		Name:   name,
		Length: 1,
		// new ReadableStreamDefaultReader(stream), new ReadableStreamBYOBReader(stream)
		// (https://streams.spec.whatwg.org/#default-reader-constructor,
		// https://streams.spec.whatwg.org/#byob-reader-constructor).
		Constructor: func(c webidl.Call) any {
			s := b.r.ToInterface(c.Arg(0), "ReadableStream").(*readableStream)
			rd := newReader()
			rd.setUp(s)
			return rd
		},
		Attributes: []webidl.Attribute{
			// The closed getter
			// (https://streams.spec.whatwg.org/#generic-reader-closed).
			b.promiseAttr(name, "closed", func(c webidl.Call) goja.Value { return impl(c).generic().closed.obj }),
		},
		Operations: []webidl.Operation{
			// cancel(reason) (https://streams.spec.whatwg.org/#generic-reader-cancel).
			b.promiseOp(name, "cancel", 0, func(c webidl.Call) goja.Value {
				rd := impl(c).generic()
				if rd.stream == nil {
					return b.rejectedPromise(b.newTypeError("The reader has been released")).obj
				}
				return rd.genericCancel(c.Arg(0))
			}),
			read,
			// releaseLock()
			// (https://streams.spec.whatwg.org/#default-reader-release-lock,
			// https://streams.spec.whatwg.org/#byob-reader-release-lock).
			{Name: "releaseLock", Length: 0, Func: func(c webidl.Call) goja.Value {
				rd := impl(c)
				if rd.generic().stream != nil {
					rd.release()
				}
				return nil
			}},
		},
	}
}
