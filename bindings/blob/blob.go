package blob

import (
	"fmt"
	"runtime"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the Blob, File and FileList interfaces, and URL.createObjectURL and
// URL.revokeObjectURL on the URL interface. Blob.stream() creates a
// ReadableStream.
var Binding = &bindings.Binding{
	Name:  "blob",
	Needs: []*bindings.Binding{url.Binding, streams.Binding},
	// URL.createObjectURL and URL.revokeObjectURL.
	Extends:  []*bindings.Binding{url.Binding},
	Register: Register,
}

// blobImpl holds the internal slots of a Blob or File. data is never
// modified: slices and Blobs made from a single Blob share it.
type blobImpl struct {
	data []byte
	typ  string // ASCII, lowercase
	// File only.
	name         string
	lastModified int64
}

// binding holds what the interfaces of one realm share.
type binding struct {
	r          *webidl.Realm
	vm         *goja.Runtime
	queue      func(task func()) bool
	uint8Array *goja.Object
	budget     *bindings.Budget
}

// Register installs the Blob, File and FileList interfaces on the global object of
// env.Realm. The Uint8Array constructor it makes arrays with is goja's,
// whatever scripts did before (webidl.Intrinsics).
//
// The promises that text(), arrayBuffer() and bytes() return are settled in
// a task queued with env.Queue(), as the File API's reads are, whose bytes
// arrive through a stream in tasks (File API "get stream",
// https://w3c.github.io/FileAPI/#blob-get-stream). In a realm without an
// event loop they are settled before the method returns, so their reactions
// run at the next microtask checkpoint.
//
// If env has a Cluster, Register also defines URL.createObjectURL and
// URL.revokeObjectURL (https://w3c.github.io/FileAPI/#creating-revoking) over
// the Cluster's blob URL store (URLStoreOf); they need the URL interface
// (bindings/url) installed first. The URLs a realm made are revoked when its
// event loop closes.
func Register(env *bindings.Env) error {
	r := env.Realm
	b := &binding{r: r, vm: r.VM(), queue: env.Queue(), budget: env.Memory()}
	u8, ok := webidl.Intrinsics{VM: r.VM()}.Value("Uint8Array").(*goja.Object)
	if !ok {
		return fmt.Errorf("blob: the global object has no Uint8Array")
	}
	b.uint8Array = u8
	if err := r.DefineInterface(b.blobInterface()); err != nil {
		return err
	}
	if err := r.DefineInterface(b.fileInterface()); err != nil {
		return err
	}
	if err := r.DefineInterface(b.fileListInterface()); err != nil {
		return err
	}
	if store := URLStoreOf(env); store != nil {
		if env.Loop != nil {
			// The realm's environment ends with its loop.
			env.Loop.OnClose(func() { store.removeOwned(r) })
		}
		return b.defineURLMethods(store)
	}
	return nil
}

// New creates a Blob in r holding data, which the Blob takes over: the
// caller must not modify data afterwards. contentType becomes the Blob's
// type as the Blob constructor's type option would (lowercased, or "" if it
// has characters outside U+0020 to U+007E). Register must have been called
// for r.
func New(r *webidl.Realm, data []byte, contentType string) *goja.Object {
	return r.New("Blob", &blobImpl{data: data[:len(data):len(data)], typ: normalizeTypeString(contentType)})
}

// NewFile creates a File in r holding data, which the File takes over as
// New's Blob does, named name, with the type contentType normalized as New
// normalizes it and the given lastModified (milliseconds since the Unix
// epoch). Register must have been called for r.
func NewFile(r *webidl.Realm, data []byte, contentType, name string, lastModified int64) *goja.Object {
	return r.New("File", &blobImpl{data: data[:len(data):len(data)], typ: normalizeTypeString(contentType),
		name: name, lastModified: lastModified})
}

// FileName returns the name and lastModified attributes of v if v is a File
// of r.
func FileName(r *webidl.Realm, v goja.Value) (name string, lastModified int64, ok bool) {
	impl, ok := r.Impl(v, "File")
	if !ok {
		return "", 0, false
	}
	f := impl.(*blobImpl)
	return f.name, f.lastModified, true
}

// Bytes returns the bytes of v if v is a Blob (or File) of r. The slice is
// shared with the Blob and must not be modified.
func Bytes(r *webidl.Realm, v goja.Value) ([]byte, bool) {
	impl, ok := r.Impl(v, "Blob")
	if !ok {
		return nil, false
	}
	return impl.(*blobImpl).data, true
}

// Type returns the type attribute of v if v is a Blob (or File) of r:
// ASCII, lowercase, possibly "".
func Type(r *webidl.Realm, v goja.Value) (string, bool) {
	impl, ok := r.Impl(v, "Blob")
	if !ok {
		return "", false
	}
	return impl.(*blobImpl).typ, true
}

// propertyBag holds a converted BlobPropertyBag or FilePropertyBag.
type propertyBag struct {
	typ             goja.String
	native          bool // endings is "native"
	lastModified    int64
	hasLastModified bool
}

var blobPropertyBag = &webidl.Dictionary[propertyBag]{
	Name: "BlobPropertyBag",
	Members: []webidl.DictionaryMember[propertyBag]{
		{Name: "type",
			Convert: func(r *webidl.Realm, v goja.Value, o *propertyBag) { o.typ = r.ToDOMString(v) }},
		{Name: "endings",
			Convert: func(r *webidl.Realm, v goja.Value, o *propertyBag) {
				o.native = r.ToEnum(v, "EndingType", "transparent", "native") == "native"
			},
			Default: func(o *propertyBag) { o.native = false }},
	},
}

var filePropertyBag = &webidl.Dictionary[propertyBag]{
	Name:   "FilePropertyBag",
	Parent: blobPropertyBag,
	Members: []webidl.DictionaryMember[propertyBag]{
		{Name: "lastModified",
			Convert: func(r *webidl.Realm, v goja.Value, o *propertyBag) {
				o.lastModified, o.hasLastModified = r.ToLongLong(v, 0), true
			}},
	},
}

// blobPart is a converted BlobPart: (BufferSource or Blob or USVString).
// A buffer source is kept as a reference; its bytes are copied when the
// parts are processed, after every argument has been converted.
type blobPart struct {
	str    string
	buffer goja.Value
	blob   []byte
	isStr  bool
}

var blobPartUnion = &webidl.Union{
	Interfaces:      []string{"Blob"},
	ArrayBuffer:     true,
	ArrayBufferView: true,
	String:          true,
}

func (b *binding) toBlobPart(v goja.Value) blobPart {
	m := b.r.MatchUnion(v, blobPartUnion)
	switch m.Kind {
	case webidl.MatchInterface:
		return blobPart{blob: m.Impl.(*blobImpl).data}
	case webidl.MatchArrayBuffer, webidl.MatchArrayBufferView:
		return blobPart{buffer: v}
	default:
		return blobPart{str: b.r.ToUSVString(v), isStr: true}
	}
}

func (b *binding) toBlobParts(v goja.Value) []blobPart {
	return webidl.ToSequence(b.r, v, b.toBlobPart)
}

// processParts implements "process blob parts"
// (https://w3c.github.io/FileAPI/#process-blob-parts). The bytes it gathers
// are charged to the cluster's memory budget: beyond it, it throws a
// RangeError, as an engine does when it cannot allocate a buffer (the File
// API names no error), before it gathers them.
func (b *binding) processParts(parts []blobPart, native bool) []byte {
	// A single Blob part: share its bytes, which never change.
	if len(parts) == 1 && !parts[0].isStr && parts[0].buffer == nil {
		return parts[0].blob
	}
	// Step 1: let bytes be an empty sequence of bytes, made as long as the
	// parts' bytes come to.
	size := 0
	for i := range parts {
		p := &parts[i]
		switch {
		case p.isStr:
			if native {
				p.str = convertLineEndingsToNative(p.str)
			}
			size += len(p.str)
		case p.buffer != nil:
			size += len(b.r.BufferSourceBytes(p.buffer))
		default:
			size += len(p.blob)
		}
	}
	if !b.budget.Fits(int64(size)) {
		panic(b.r.NewRangeError(allocationFailed))
	}
	out := make([]byte, 0, size)
	// Step 2: for each element of parts, append its bytes.
	for _, p := range parts {
		switch {
		case p.isStr:
			out = append(out, p.str...)
		case p.buffer != nil:
			out = b.r.AppendBufferSource(out, p.buffer)
		default:
			out = append(out, p.blob...)
		}
	}
	if len(out) > 0 && !bindings.Charge(b.budget, &out[0], int64(len(out))) {
		panic(b.r.NewRangeError(allocationFailed))
	}
	return out[:len(out):len(out)]
}

// allocationFailed is the message of the RangeError a Blob over the memory
// budget is refused with.
const allocationFailed = "Blob allocation failed"

// stringAllocationFailed is the message of the RangeError text() rejects
// with when the memory budget has no room for the string: V8's for a string
// it cannot make.
const stringAllocationFailed = "Invalid string length"

// nativeLineEnding is the platform's line ending (File API "convert line
// endings to native", https://w3c.github.io/FileAPI/#convert-line-endings-to-native).
var nativeLineEnding = func() string {
	if runtime.GOOS == "windows" {
		return "\r\n"
	}
	return "\n"
}()

// convertLineEndingsToNative implements "convert line endings to native"
// (https://w3c.github.io/FileAPI/#convert-line-endings-to-native): every CR LF, lone
// CR and lone LF becomes the native line ending.
func convertLineEndingsToNative(s string) string {
	if nativeLineEnding == "\n" && !containsByte(s, '\r') {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			out = append(out, nativeLineEnding...)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			out = append(out, nativeLineEnding...)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// normalizeType applies the constructor's rule for the type option (step 3
// of the Blob constructor, https://w3c.github.io/FileAPI/#constructorBlob, and the
// slice() steps): a string with a code unit outside U+0020 to U+007E becomes
// "", any other is converted to ASCII lowercase.
func normalizeType(t goja.String) string {
	if t == nil {
		return ""
	}
	n := t.Length()
	buf := make([]byte, n)
	for i := 0; i < n; i++ {
		c := t.CharAt(i)
		if c < 0x20 || c > 0x7E {
			return ""
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = byte(c)
	}
	return string(buf)
}

func normalizeTypeString(t string) string {
	buf := make([]byte, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < 0x20 || c > 0x7E {
			return ""
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return string(buf)
}

// blobInterface describes Blob (https://w3c.github.io/FileAPI/#blob-section).
func (b *binding) blobInterface() *webidl.Interface {
	r, vm := b.r, b.vm
	get := func(c webidl.Call) *blobImpl { return c.Impl.(*blobImpl) }
	return &webidl.Interface{
		Name:   "Blob",
		Length: 0,
		// constructor(optional sequence<BlobPart> blobParts, optional BlobPropertyBag options = {})
		Constructor: func(c webidl.Call) any {
			var parts []blobPart
			if v := c.Arg(0); !goja.IsUndefined(v) {
				parts = b.toBlobParts(v)
			}
			var opts propertyBag
			webidl.ToDictionary(r, c.Arg(1), blobPropertyBag, &opts)
			// Steps 2-4 of https://w3c.github.io/FileAPI/#constructorBlob (with no
			// arguments, step 1 gives the same empty Blob).
			data := b.processParts(parts, opts.native)
			return &blobImpl{data: data, typ: normalizeType(opts.typ)}
		},
		Attributes: []webidl.Attribute{
			{Name: "size", Get: func(c webidl.Call) goja.Value { return vm.ToValue(len(get(c).data)) }},
			{Name: "type", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).typ) }},
		},
		Operations: []webidl.Operation{
			{Name: "slice", Length: 0, Func: func(c webidl.Call) goja.Value {
				// slice(optional [Clamp] long long start, optional
				// [Clamp] long long end, optional DOMString contentType)
				var start, end *int64
				if v := c.Arg(0); !goja.IsUndefined(v) {
					x := r.ToLongLong(v, webidl.Clamp)
					start = &x
				}
				if v := c.Arg(1); !goja.IsUndefined(v) {
					x := r.ToLongLong(v, webidl.Clamp)
					end = &x
				}
				var contentType goja.String
				if v := c.Arg(2); !goja.IsUndefined(v) {
					contentType = r.ToDOMString(v)
				}
				return r.New("Blob", sliceBlob(get(c), start, end, contentType))
			}},
			{Name: "stream", Length: 0, Func: func(c webidl.Call) goja.Value { return b.stream(get(c).data) }},
			{Name: "text", Length: 0, ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
				// Reading all bytes, then UTF-8 decode (https://w3c.github.io/FileAPI/#text-method-algo).
				// The string joins script's heap; the budget must have room for
				// it while it is decoded.
				return b.read(get(c).data, func(p []byte) (goja.Value, goja.Value) {
					if !b.budget.Reserve(int64(len(p))) {
						return nil, r.NewRangeError(stringAllocationFailed)
					}
					defer b.budget.Release(int64(len(p)))
					return vm.ToValue(encoding.UTF8Decode(p)), nil
				})
			}},
			{Name: "arrayBuffer", Length: 0, ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
				// A new ArrayBuffer whose contents are the bytes
				// (https://w3c.github.io/FileAPI/#arraybuffer-method-algo).
				return b.read(get(c).data, func(p []byte) (goja.Value, goja.Value) {
					data, ok := bindings.Copy(b.budget, p)
					if !ok {
						return nil, r.NewRangeError(bindings.AllocationFailed)
					}
					return r.NewArrayBuffer(data), nil
				})
			}},
			{Name: "bytes", Length: 0, ReturnsPromise: true, Func: func(c webidl.Call) goja.Value {
				// A new Uint8Array over a new ArrayBuffer
				// (https://w3c.github.io/FileAPI/#bytes-method-algo).
				return b.read(get(c).data, func(p []byte) (goja.Value, goja.Value) {
					data, ok := bindings.Copy(b.budget, p)
					if !ok {
						return nil, r.NewRangeError(bindings.AllocationFailed)
					}
					o, err := vm.New(b.uint8Array, r.NewArrayBuffer(data))
					if err != nil {
						panic(err)
					}
					return o, nil
				})
			}},
		},
	}
}

// sliceBlob implements "slice blob" (https://w3c.github.io/FileAPI/#slice-blob):
// negative positions count from the end, positions are clamped to the size,
// and the new Blob shares the bytes of the range.
func sliceBlob(blob *blobImpl, start, end *int64, contentType goja.String) *blobImpl {
	size := int64(len(blob.data))
	relStart := int64(0)
	if start != nil {
		relStart = relative(*start, size)
	}
	relEnd := size
	if end != nil {
		relEnd = relative(*end, size)
	}
	relType := ""
	if contentType != nil {
		relType = normalizeType(contentType)
	}
	span := max(relEnd-relStart, 0)
	data := blob.data[relStart : relStart+span : relStart+span]
	return &blobImpl{data: data, typ: relType}
}

func relative(x, size int64) int64 {
	if x < 0 {
		return max(size+x, 0)
	}
	return min(x, size)
}

// read returns a promise for conv applied to data, settled in a task when
// a queue was given: fulfilled with conv's value, or rejected with the reason
// it returns instead, such as the RangeError of a result the memory budget
// has no room for.
func (b *binding) read(data []byte, conv func([]byte) (v, reason goja.Value)) goja.Value {
	p, resolve, reject := b.r.NewPromise()
	settle := func() {
		if v, reason := conv(data); reason != nil {
			reject(reason)
		} else {
			resolve(v)
		}
	}
	if b.queue == nil {
		settle()
	} else {
		b.queue(settle)
	}
	return p
}

// fileInterface describes File (https://w3c.github.io/FileAPI/#file-section).
func (b *binding) fileInterface() *webidl.Interface {
	r, vm := b.r, b.vm
	get := func(c webidl.Call) *blobImpl { return c.Impl.(*blobImpl) }
	return &webidl.Interface{
		Name:   "File",
		Parent: "Blob",
		Length: 2,
		// constructor(sequence<BlobPart> fileBits, USVString fileName, optional FilePropertyBag options = {})
		Constructor: func(c webidl.Call) any {
			c.RequireArgs("File", 2)
			parts := b.toBlobParts(c.Arg(0))
			name := r.ToUSVString(c.Arg(1))
			var opts propertyBag
			webidl.ToDictionary(r, c.Arg(2), filePropertyBag, &opts)
			// Steps 1-4 of https://w3c.github.io/FileAPI/#file-constructor.
			data := b.processParts(parts, opts.native)
			f := &blobImpl{data: data, typ: normalizeType(opts.typ), name: name, lastModified: opts.lastModified}
			if !opts.hasLastModified {
				f.lastModified = time.Now().UnixMilli()
			}
			return f
		},
		Attributes: []webidl.Attribute{
			{Name: "name", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).name) }},
			{Name: "lastModified", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).lastModified) }},
		},
	}
}
