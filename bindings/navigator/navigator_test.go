package navigator

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

func newRealm(t testing.TB, global bindings.Global, opts Options) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	env.Global = global
	bindings.Configure(env, opts)
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	return vm
}

func eval(t *testing.T, vm *goja.Runtime, src string) string {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v.String()
}

func TestNavigator(t *testing.T) {
	tests := []struct {
		name   string
		global bindings.Global
		opts   Options
		// iface is the interface the navigator object implements, other
		// the one that must not exist.
		iface, other string
	}{
		{"window", bindings.Window, Options{Languages: []string{"fr_CA.UTF-8", "C", "en"}}, "Navigator", "WorkerNavigator"},
		{"worker", bindings.DedicatedWorker, Options{Languages: []string{"fr-ca", "en"}}, "WorkerNavigator", "Navigator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := newRealm(t, tt.global, tt.opts)
			for src, want := range map[string]string{
				`navigator === navigator && navigator instanceof ` + tt.iface: "true",
				`typeof ` + tt.other: "undefined",
				`String(navigator)`:  "[object " + tt.iface + "]",
				`Object.getOwnPropertyDescriptor(globalThis, "navigator").get.name`: "get navigator",
				// A getter's name is configurable, not enumerable (https://webidl.spec.whatwg.org/#dfn-attribute-getter).
				`(d => [d.writable, d.enumerable, d.configurable].join())(Object.getOwnPropertyDescriptor(Object.getOwnPropertyDescriptor(globalThis, "navigator").get, "name"))`: "false,false,true",
				`(d => [d.enumerable, d.configurable, d.set].join())(Object.getOwnPropertyDescriptor(globalThis, "navigator"))`:                                                   "true,true,",
				`[navigator.appCodeName, navigator.appName, navigator.product].join()`:                                                                                            "Mozilla,Netscape,Gecko",
				`navigator.userAgent`:        UserAgent(),
				`navigator.platform`:         Platform(),
				`navigator.language`:         "fr-CA",
				`navigator.languages.join()`: "fr-CA,en",
				`navigator.languages === navigator.languages && Object.isFrozen(navigator.languages)`: "true",
				`navigator.onLine`: "true",
				`navigator.hardwareConcurrency === ` + strconv.Itoa(runtime.NumCPU()):                                                                      "true",
				`["appVersion", "vendor", "serviceWorker", "plugins", "cookieEnabled"].some((k) => k in navigator)`:                                        "false",
				`try { new ` + tt.iface + `(); "constructed" } catch (e) { e.name }`:                                                                       "TypeError",
				`(() => { try { Object.getOwnPropertyDescriptor(` + tt.iface + `.prototype, "userAgent").get.call({}); } catch (e) { return e.name } })()`: "TypeError",
			} {
				if got := eval(t, vm, src); got != want {
					t.Errorf("%s = %q, want %q", src, got, want)
				}
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	ua := UserAgent()
	if !strings.HasPrefix(ua, "wsjs/") || len(ua) == len("wsjs/") || strings.ContainsAny(ua, " ()") {
		t.Errorf("UserAgent() = %q, want wsjs/<version>", ua)
	}
}

func TestPlatform(t *testing.T) {
	for _, tt := range []struct{ goos, goarch, want string }{
		{"linux", "amd64", "Linux x86_64"},
		{"linux", "arm64", "Linux aarch64"},
		{"linux", "386", "Linux i686"},
		{"android", "arm", "Linux armv7l"},
		{"darwin", "arm64", "MacIntel"},
		{"windows", "amd64", "Win32"},
		{"freebsd", "amd64", "FreeBSD x86_64"},
		{"plan9", "sparc", "plan9 sparc"},
	} {
		if got := platformFor(tt.goos, tt.goarch); got != tt.want {
			t.Errorf("platformFor(%s, %s) = %q, want %q", tt.goos, tt.goarch, got, tt.want)
		}
	}
}

func TestLanguageTag(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"en_US.UTF-8", "en-US", true},
		{"de_DE@euro", "de-DE", true},
		{"pt-br", "pt-BR", true},
		{"zh_hant_tw", "zh-Hant-TW", true},
		{"es-419", "es-419", true},
		{"sr_RS.UTF-8@latin", "sr-RS", true},
		{"EN", "en", true},
		{"ast", "ast", true},
		{"C", "", false},
		{"C.UTF-8", "", false},
		{"POSIX", "", false},
		{"", "", false},
		{"e", "", false},
		{"engl", "", false},
		{"en__US", "", false},
		{"en-", "", false},
		{"-en", "", false},
		{"en-toolongsubtag", "", false},
		{"en US", "", false},
		{"1en", "", false},
		{"en-Ü", "", false},
	} {
		got, ok := LanguageTag(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LanguageTag(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEnvLanguages(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "de_AT.UTF-8"}, "de-AT"},
		{map[string]string{"LANGUAGE": "fr:en_GB", "LANG": "de_AT.UTF-8"}, "fr,en-GB,de-AT"},
		{map[string]string{"LANGUAGE": "fr", "LC_ALL": "C.UTF-8", "LANG": "de_AT.UTF-8"}, "en-US"},
		{map[string]string{"LC_MESSAGES": "it_IT", "LANG": "de_AT"}, "it-IT"},
		{map[string]string{}, "en-US"},
	} {
		for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(k, tt.env[k])
		}
		envOnce = sync.Once{}
		if got := strings.Join(envLanguages(), ","); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}

// FuzzLanguageTag checks that a converted tag is stable and valid.
func FuzzLanguageTag(f *testing.F) {
	for _, s := range []string{"en_US.UTF-8", "zh_hant_tw", "es-419", "C", "sr_RS@latin", "x-private", "en--US", "ÿ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tag, ok := LanguageTag(s)
		if !ok {
			if tag != "" {
				t.Fatalf("%q: rejected but returned %q", s, tag)
			}
			return
		}
		again, ok := LanguageTag(tag)
		if !ok || again != tag {
			t.Fatalf("%q -> %q -> %q, %v", s, tag, again, ok)
		}
		if strings.ContainsAny(tag, "_.@ ") || tag == "" {
			t.Fatalf("%q -> %q", s, tag)
		}
	})
}
