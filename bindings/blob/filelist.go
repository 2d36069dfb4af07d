package blob

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// fileList holds the internal slots of a FileList: its Files, in order.
type fileList struct{ files []*goja.Object }

// fileListInterface describes FileList (https://w3c.github.io/FileAPI/#filelist-section).
// FileLists come from <input type=file> elements and drag and drop, which
// need a document: no script here can get one, but the interface exists, as
// [Exposed=(Window,Worker)] asks. Its indexed property getter, which would
// make FileList objects legacy platform objects, is left out with them.
func (b *binding) fileListInterface() *webidl.Interface {
	get := func(c webidl.Call) *fileList { return c.Impl.(*fileList) }
	return &webidl.Interface{
		Name: "FileList",
		Attributes: []webidl.Attribute{
			{Name: "length", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(len(get(c).files)) }},
		},
		Operations: []webidl.Operation{
			// getter File? item(unsigned long index)
			// (https://w3c.github.io/FileAPI/#dfn-item).
			{Name: "item", Length: 1, Func: func(c webidl.Call) goja.Value {
				i := b.r.ToUnsignedLong(c.Arg(0), 0)
				files := get(c).files
				if int64(i) >= int64(len(files)) {
					return goja.Null()
				}
				return files[i]
			}},
		},
	}
}
