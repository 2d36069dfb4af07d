package blob

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// Blob and File are [Serializable] (https://w3c.github.io/FileAPI/#blob-section
// and https://w3c.github.io/FileAPI/#file-section): the serialization steps
// keep the bytes (shared, as they never change), the type and, for a File, the
// name and last modification date; the deserialization steps make a new object
// from them.
func init() {
	for _, name := range []string{"Blob", "File"} {
		err := structuredclone.RegisterSerializable(structuredclone.Serializable{
			Interface: name,
			Serialize: func(r *webidl.Realm, obj *goja.Object) (any, error) {
				impl, ok := r.Impl(obj, "Blob")
				if !ok {
					return nil, fmt.Errorf("blob: %s to serialize is not a Blob", name)
				}
				clone := *impl.(*blobImpl)
				return &clone, nil
			},
			Deserialize: func(r *webidl.Realm, data any) (*goja.Object, error) {
				impl, ok := data.(*blobImpl)
				if !ok {
					return nil, fmt.Errorf("blob: serialized %s of type %T", name, data)
				}
				if r.InterfaceObject(name) == nil {
					return nil, fmt.Errorf("blob: %s is not defined in the target realm", name)
				}
				clone := *impl
				return r.New(name, &clone), nil
			},
		})
		if err != nil {
			panic(err)
		}
	}
}
