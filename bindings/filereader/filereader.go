package filereader

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs FileReader and, in dedicated and shared workers,
// FileReaderSync. FileReader is an EventTarget that fires ProgressEvents and
// reads Blobs.
var Binding = &bindings.Binding{
	Name:     "filereader",
	Needs:    []*bindings.Binding{events.Binding, blob.Binding},
	Register: Register,
}

// binding holds what the interfaces of one realm share.
type binding struct {
	r      *webidl.Realm
	queue  func(task func()) bool
	budget *bindings.Budget
}

// Register installs FileReader ([Exposed=(Window,Worker)]) on the global
// object of env.Realm and, where env.Global is a DedicatedWorker or a
// SharedWorker, FileReaderSync ([Exposed=(DedicatedWorker,SharedWorker)]).
// FileReader's events are fired in tasks queued with env.Queue(), which it
// needs; the events and blob bindings must be installed first.
func Register(env *bindings.Env) error {
	r := env.Realm
	b := &binding{r: r, queue: env.Queue(), budget: env.Memory()}
	if b.queue == nil {
		return errors.New("filereader: the realm has no event loop")
	}
	for _, name := range []string{"EventTarget", "ProgressEvent", "Blob"} {
		if r.InterfaceObject(name) == nil {
			return fmt.Errorf("filereader: %s is not defined: register packages events and blob first", name)
		}
	}
	if err := r.DefineInterface(b.readerInterface()); err != nil {
		return fmt.Errorf("filereader: %w", err)
	}
	if env.Global == bindings.DedicatedWorker || env.Global == bindings.SharedWorker {
		if err := r.DefineInterface(b.syncInterface()); err != nil {
			return fmt.Errorf("filereader: %w", err)
		}
	}
	return nil
}

// toBlob converts the Blob argument of the read method what: the Blob's
// bytes (shared with it, never modified) and type.
func (b *binding) toBlob(what string, v goja.Value) ([]byte, string) {
	data, ok := blob.Bytes(b.r, v)
	if !ok {
		b.r.ThrowTypeError("Failed to execute '%s': parameter 1 is not of type 'Blob'.", what)
	}
	typ, _ := blob.Type(b.r, v)
	return data, typ
}

// optionalDOMString converts an optional DOMString argument: nil when it is
// undefined.
func (b *binding) optionalDOMString(v goja.Value) *string {
	if goja.IsUndefined(v) {
		return nil
	}
	s := b.r.ToDOMString(v).String()
	return &s
}
