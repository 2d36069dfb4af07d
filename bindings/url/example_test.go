package url_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	if err := bindings.Install(env, url.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const u = new URL("/chat?room=1", "wss://example.com:443/app/");
		u.searchParams.append("user", "ana maria");
		[u.href, u.origin, u.port === ""].join(" ");
	`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: wss://example.com/chat?room=1&user=ana+maria wss://example.com true
}

func ExampleParse() {
	rec, err := url.Parse("http://天気の良い日.example:8000/a b#top", "")
	if err != nil {
		panic(err)
	}
	fmt.Println(rec.Href)
	fmt.Println(rec.Host, rec.Port, rec.Path, rec.HasFragment, rec.Fragment)
	_, err = url.Parse("ws://foo bar.com/", "")
	fmt.Println(err)
	// Output:
	// http://xn--n8j6ds53lwwkrqhv28a.example:8000/a%20b#top
	// xn--n8j6ds53lwwkrqhv28a.example 8000 /a%20b true top
	// url: invalid URL "ws://foo bar.com/"
}
