package blob

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// A URLStore is the blob URL store of the File API
// (https://w3c.github.io/FileAPI/#BlobURLStore): the blob: URLs URL.createObjectURL
// has minted and the bytes they stand for. Realms that share one (a runtime and its
// workers) resolve each other's blob URLs. It is safe for concurrent use.
type URLStore struct {
	mu      sync.Mutex
	entries map[string]*URLEntry
}

// A URLEntry is a blob URL entry (https://w3c.github.io/FileAPI/#blob-url-entry):
// the bytes and type of the Blob a blob URL stands for. One that a URL was
// resolved to stays usable after the URL is revoked, as the URL parser's
// "blob URL entry" of a URL record does
// (https://url.spec.whatwg.org/#concept-url-blob-entry).
type URLEntry struct {
	// Data is the Blob's bytes, shared: they must not be modified.
	Data []byte
	// Type is the Blob's type.
	Type string
	// owner is the realm whose URL.createObjectURL made the entry: its
	// environment, whose end removes the entry.
	owner *webidl.Realm
}

// urlStoreKey is the bindings.Cluster key of the blob URL store.
type urlStoreKey struct{}

// URLStoreOf returns the blob URL store of env's Cluster, which a runtime
// and its workers share (one blob URL store per agent cluster), creating it
// the first time; nil if env has no Cluster.
func URLStoreOf(env *bindings.Env) *URLStore {
	if env.Cluster == nil {
		return nil
	}
	return env.Cluster.Value(urlStoreKey{}, func() any { return newURLStore() }).(*URLStore)
}

// newURLStore returns an empty blob URL store.
func newURLStore() *URLStore { return &URLStore{entries: map[string]*URLEntry{}} }

// Resolve returns the entry of blobURL (a blob: URL, its fragment ignored),
// or nil if the store has no such URL (File API "resolve a blob URL",
// https://w3c.github.io/FileAPI/#blob-url-resolve). A nil store has none.
func (s *URLStore) Resolve(blobURL string) *URLEntry {
	if s == nil {
		return nil
	}
	if i := strings.IndexByte(blobURL, '#'); i >= 0 {
		blobURL = blobURL[:i]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries[blobURL]
}

// add implements "add an entry to the blob URL store" (https://w3c.github.io/FileAPI/#add-an-entry):
// a new URL "blob:" + origin + "/" + a UUID.
func (s *URLStore) add(owner *webidl.Realm, origin string, b *blobImpl) string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	id := fmt.Sprintf("blob:%s/%x-%x-%x-%x-%x", origin, u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	s.mu.Lock()
	s.entries[id] = &URLEntry{Data: b.data, Type: b.typ, owner: owner}
	s.mu.Unlock()
	return id
}

// remove implements "remove an entry from the blob URL store"
// (https://w3c.github.io/FileAPI/#removeTheEntry).
func (s *URLStore) remove(blobURL string) {
	s.mu.Lock()
	delete(s.entries, blobURL)
	s.mu.Unlock()
}

// removeOwned removes the entries that owner made, as the File API's
// lifetime rules ask when its environment goes away
// (https://w3c.github.io/FileAPI/#lifeTime): a worker that ends takes its
// blob URLs with it.
func (s *URLStore) removeOwned(owner *webidl.Realm) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, e := range s.entries {
		if e.owner == owner {
			delete(s.entries, id)
		}
	}
}

// defineURLMethods adds the File API's partial interface URL
// (https://w3c.github.io/FileAPI/#creating-revoking):
// URL.createObjectURL(obj) and URL.revokeObjectURL(url), static operations on
// the URL interface object defined by bindings/url.
func (b *binding) defineURLMethods(store *URLStore) error {
	r := b.r
	u := r.InterfaceObject("URL")
	if u == nil {
		return fmt.Errorf("blob: URL.createObjectURL needs the URL interface: register bindings/url first")
	}
	define := func(name string, length int, fn func(goja.FunctionCall) goja.Value) error {
		f := webidl.NewFunction(r.VM(), name, length, fn)
		return u.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	if err := define("createObjectURL", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) < 1 {
			r.ThrowTypeError("Failed to execute 'createObjectURL' on 'URL': 1 argument required, but only 0 present.")
		}
		impl, ok := r.Impl(c.Arguments[0], "Blob")
		if !ok {
			r.ThrowTypeError("Failed to execute 'createObjectURL' on 'URL': parameter 1 is not of type 'Blob'.")
		}
		// The URL carries the origin of the settings object that made it.
		return r.VM().ToValue(store.add(r, originOf(r.APIBaseURL()), impl.(*blobImpl)))
	}); err != nil {
		return err
	}
	return define("revokeObjectURL", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) < 1 {
			r.ThrowTypeError("Failed to execute 'revokeObjectURL' on 'URL': 1 argument required, but only 0 present.")
		}
		// Revoking something that is not a blob URL of this store does nothing
		// (https://w3c.github.io/FileAPI/#dfn-revokeObjectURL).
		store.remove(r.ToUSVString(c.Arguments[0]))
		return goja.Undefined()
	})
}

// originOf is the serialization of the origin of the URL base ("null" for an opaque
// one or a URL that does not parse).
func originOf(base string) string {
	rec, err := url.Parse(base, "")
	if err != nil {
		return "null"
	}
	return rec.Origin
}
