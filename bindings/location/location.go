package location

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// slots are WorkerLocation's internal slots: it reads the realm's API base URL each
// time, so it follows the runtime when that changes.
type slots struct{ realm *webidl.Realm }

func (s *slots) record() *url.Record {
	rec, err := url.Parse(s.realm.APIBaseURL(), "")
	if err != nil {
		return &url.Record{Href: s.realm.APIBaseURL(), Origin: "null"}
	}
	return rec
}

// Binding installs the WorkerLocation interface and the global location attribute.
var Binding = &bindings.Binding{Name: "location", Register: Register}

// Register defines the WorkerLocation interface and the global `location` attribute,
// a readonly accessor on the global object of env.Realm, as WorkerGlobalScope has.
func Register(env *bindings.Env) error {
	r := env.Realm
	str := func(f func(*url.Record) string) func(webidl.Call) goja.Value {
		return func(c webidl.Call) goja.Value {
			return c.VM().ToValue(f(c.Impl.(*slots).record()))
		}
	}
	href := str(func(u *url.Record) string { return u.Href })
	iface := &webidl.Interface{
		Name: "WorkerLocation",
		// Every attribute derives from the URL; the stringifier is href
		// (https://html.spec.whatwg.org/multipage/workers.html#worker-locations).
		Attributes: []webidl.Attribute{
			{Name: "href", Get: href},
			{Name: "origin", Get: str(func(u *url.Record) string { return u.Origin })},
			{Name: "protocol", Get: str(func(u *url.Record) string { return u.Scheme + ":" })},
			{Name: "host", Get: str(func(u *url.Record) string {
				if u.Port == "" {
					return u.Host
				}
				return u.Host + ":" + u.Port
			})},
			{Name: "hostname", Get: str(func(u *url.Record) string { return u.Host })},
			{Name: "port", Get: str(func(u *url.Record) string { return u.Port })},
			{Name: "pathname", Get: str(func(u *url.Record) string { return u.Path })},
			{Name: "search", Get: str(func(u *url.Record) string {
				if u.Query == "" {
					return ""
				}
				return "?" + u.Query
			})},
			{Name: "hash", Get: str(func(u *url.Record) string {
				if u.Fragment == "" {
					return ""
				}
				return "#" + u.Fragment
			})},
		},
		Operations: []webidl.Operation{{Name: "toString", Func: href}},
	}
	if err := r.DefineInterface(iface); err != nil {
		return fmt.Errorf("location: %w", err)
	}
	loc := r.New("WorkerLocation", &slots{realm: r})
	// readonly attribute WorkerLocation location
	// (https://html.spec.whatwg.org/multipage/workers.html#dom-workerglobalscope-location).
	return r.DefineGlobalMembers([]webidl.Attribute{{
		Name: "location", Get: func(webidl.Call) goja.Value { return loc },
	}}, nil)
}
