package url

import (
	"weak"

	"github.com/dop251/goja"
	wurl "github.com/nlnwa/whatwg-url/url"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/urlbound"
	"github.com/wsjs/wsjs/webidl"
)

// urlImpl holds the internal slots of a URL object
// (https://url.spec.whatwg.org/#url-class): its URL record and its query
// object, both the URLSearchParams object and its slots.
type urlImpl struct {
	u        *wurl.Url
	query    *paramsImpl
	queryObj *goja.Object
}

// paramsImpl holds the internal slots of a URLSearchParams object
// (https://url.spec.whatwg.org/#interface-urlsearchparams): its list and its
// URL object. The URL object is held weakly: the URL object's slots hold this
// object, and a strong reference back would keep both alive forever. Once the
// URL object is gone, updating it cannot be observed.
type paramsImpl struct {
	list []pair
	url  weak.Pointer[urlImpl]
}

// binding holds what the interfaces of one realm share.
type binding struct {
	r  *webidl.Realm
	vm *goja.Runtime
}

// Binding installs the URL and URLSearchParams interfaces.
var Binding = &bindings.Binding{Name: "url", Register: Register}

// Register installs the URL and URLSearchParams interfaces on the global
// object of env.Realm. The %IteratorPrototype% their iterators inherit from
// is goja's, whatever scripts did before (webidl.Intrinsics).
func Register(env *bindings.Env) error {
	_, err := register(env.Realm)
	return err
}

func register(r *webidl.Realm) (*binding, error) {
	b := &binding{r: r, vm: r.VM()}
	if err := r.DefineInterface(b.urlInterface()); err != nil {
		return nil, err
	}
	if err := r.DefineInterface(b.paramsInterface()); err != nil {
		return nil, err
	}
	return b, nil
}

// newURLObject creates a URL object and initializes it with u ("initialize"
// a URL object, https://url.spec.whatwg.org/#url-initialize).
func (b *binding) newURLObject(u *wurl.Url) *goja.Object {
	return b.r.New("URL", b.initURL(u))
}

// initURL runs "initialize" (https://url.spec.whatwg.org/#url-initialize) for a
// URL object's slots.
func (b *binding) initURL(u *wurl.Url) *urlImpl {
	// Steps 1-2: query is u's query or "", and the URL is u.
	impl := &urlImpl{u: u}
	// Steps 3-5: a new URLSearchParams object, initialized with query,
	// whose URL object is this.
	impl.query = &paramsImpl{url: weak.Make(impl)}
	if hasQuery(u) {
		impl.query.list = parseURLEncoded(nil, u.Query())
	}
	impl.queryObj = b.r.New("URLSearchParams", impl.query)
	return impl
}

// setURL replaces the URL of impl, as the href setter does (steps 3-5):
// the query object's list is emptied and, if the new URL has a query,
// refilled from it.
func (impl *urlImpl) setURL(u *wurl.Url) {
	impl.u = u
	impl.query.list = impl.query.list[:0]
	if hasQuery(u) {
		impl.query.list = parseURLEncoded(impl.query.list, u.Query())
	}
}

// urlArgs converts the (USVString url, optional USVString base) arguments
// of the constructor, parse() and canParse().
func (b *binding) urlArgs(c webidl.Call, what string) (input, base string, hasBase bool) {
	c.RequireArgs(what, 1)
	input = b.r.ToUSVString(c.Arg(0))
	if v := c.Arg(1); !goja.IsUndefined(v) {
		base, hasBase = b.r.ToUSVString(v), true
	}
	return input, base, hasBase
}

// urlInterface describes URL (https://url.spec.whatwg.org/#url-class).
func (b *binding) urlInterface() *webidl.Interface {
	r, vm := b.r, b.vm
	get := func(c webidl.Call) *urlImpl { return c.Impl.(*urlImpl) }
	str := func(s string) goja.Value { return vm.ToValue(s) }
	href := func(c webidl.Call) goja.Value { return str(get(c).u.Href(false)) }
	// attr describes a component attribute whose setter, like every one
	// of the standard's but href's and search's, only runs the library's
	// setter (which implements the standard's steps).
	attr := func(name string, getter func(*wurl.Url) string, setter func(*wurl.Url, string)) webidl.Attribute {
		return webidl.Attribute{
			Name: name,
			Get:  func(c webidl.Call) goja.Value { return str(getter(get(c).u)) },
			Set: func(c webidl.Call, v goja.Value) {
				u := get(c).u
				value := r.ToUSVString(v)
				if urlbound.CheckComponent(name, value) != nil {
					return // the setter's failure: the URL stays as it was
				}
				before := u.Href(false)
				setter(u, value)
				if !hostDecodes(u) || urlbound.Check(u.Href(false)) != nil {
					// A host the parser refuses (see hostDecodes), or a
					// URL grown past the bound (percent-encoded, see
					// parse), is the setter's failure: the URL stays as
					// it was.
					get(c).u, _ = parser.Parse(before)
				}
			},
		}
	}
	return &webidl.Interface{
		Name:   "URL",
		Length: 1,
		// constructor(USVString url, optional USVString base)
		Constructor: func(c webidl.Call) any {
			input, base, hasBase := b.urlArgs(c, "URL")
			// Steps 1-2: failure is a TypeError.
			u, err := apiParse(input, base, hasBase)
			if err != nil {
				r.ThrowTypeError("Failed to construct 'URL': Invalid URL")
			}
			// Step 3.
			return b.initURL(u)
		},
		Attributes: []webidl.Attribute{
			{Name: "href", Get: href, Set: func(c webidl.Call, v goja.Value) {
				// Steps 1-2: parse the value alone; failure throws.
				u, err := parse(r.ToUSVString(v), nil)
				if err != nil || !hostDecodes(u) {
					r.ThrowTypeError("Failed to set the 'href' property on 'URL': Invalid URL")
				}
				// Steps 3-5.
				get(c).setURL(u)
			}},
			{Name: "origin", Get: func(c webidl.Call) goja.Value { return str(origin(get(c).u)) }},
			attr("protocol", (*wurl.Url).Protocol, (*wurl.Url).SetProtocol),
			attr("username", (*wurl.Url).Username, (*wurl.Url).SetUsername),
			attr("password", (*wurl.Url).Password, (*wurl.Url).SetPassword),
			attr("host", (*wurl.Url).Host, (*wurl.Url).SetHost),
			attr("hostname", (*wurl.Url).Hostname, (*wurl.Url).SetHostname),
			attr("port", (*wurl.Url).Port, (*wurl.Url).SetPort),
			attr("pathname", (*wurl.Url).Pathname, (*wurl.Url).SetPathname),
			{Name: "search", Get: func(c webidl.Call) goja.Value { return str(get(c).u.Search()) },
				Set: func(c webidl.Call, v goja.Value) {
					impl := get(c)
					value := r.ToUSVString(v)
					// Step 2: "" makes the query null and empties
					// the list.
					impl.u.SetSearch(value)
					if value == "" {
						impl.query.list = impl.query.list[:0]
						return
					}
					// Steps 3-6: the list is the parse of the value
					// without its leading "?".
					if value[0] == '?' {
						value = value[1:]
					}
					impl.query.list = parseURLEncoded(impl.query.list[:0], value)
				}},
			{Name: "searchParams", Get: func(c webidl.Call) goja.Value { return get(c).queryObj }},
			attr("hash", (*wurl.Url).Hash, (*wurl.Url).SetHash),
		},
		Operations: []webidl.Operation{
			{Name: "parse", Length: 1, Static: true, Func: func(c webidl.Call) goja.Value {
				input, base, hasBase := b.urlArgs(c, "parse")
				u, err := apiParse(input, base, hasBase)
				if err != nil {
					return goja.Null()
				}
				return b.newURLObject(u)
			}},
			{Name: "canParse", Length: 1, Static: true, Func: func(c webidl.Call) goja.Value {
				input, base, hasBase := b.urlArgs(c, "canParse")
				_, err := apiParse(input, base, hasBase)
				return vm.ToValue(err == nil)
			}},
			{Name: "toJSON", Func: href},
			// The stringifier: href.
			{Name: "toString", Func: href},
		},
	}
}

// update runs the URLSearchParams "update" steps
// (https://url.spec.whatwg.org/#concept-urlsearchparams-update): the
// URL object's query becomes the serialization of the list, or null if it
// is empty.
func (p *paramsImpl) update() {
	impl := p.url.Value()
	if impl == nil {
		return
	}
	// The serialization has no character that the query state would
	// percent-encode, so setting search gives the query exactly.
	impl.u.SetSearch(serializeURLEncoded(p.list))
}
