package navigator

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure Register; hand them over with bindings.Configure. The
// zero value takes the languages from the environment.
type Options struct {
	// Languages are the user's preferred languages, most preferred first,
	// as BCP 47 language tags such as "en-US"; invalid ones are left out.
	// Nil takes them from the environment: the LANGUAGE list, then the
	// locale of LC_ALL, LC_MESSAGES or LANG, and "en-US" when these name
	// none.
	Languages []string
}

// navigator holds the internal slots of a Navigator or WorkerNavigator.
type navigator struct {
	languages []string
	frozen    *goja.Object // the FrozenArray languages returns, made once
}

// Binding installs Navigator or WorkerNavigator and the global navigator
// attribute. Its Options are read with bindings.Config.
var Binding = &bindings.Binding{Name: "navigator", Register: Register}

// Register defines Navigator, or WorkerNavigator, in env.Realm with the members of
// its NavigatorID, NavigatorLanguage, NavigatorOnLine and
// NavigatorConcurrentHardware mixins that hold for this runtime, creates
// the realm's navigator object and defines the navigator attribute on the
// global object: an enumerable, configurable accessor returning always that
// object, as the global interface's attribute would be.
//
// Of NavigatorID, appCodeName, appName and product return the constants the
// standard prescribes ("Mozilla", "Netscape", "Gecko"), userAgent returns
// UserAgent and platform the operating system and processor, as browsers
// name them ("Linux x86_64", "MacIntel", "Win32"); appVersion and the
// Window-only productSub, vendor and vendorSub, which describe a browser
// engine, are not defined. onLine is always true: the runtime always tries
// the network. hardwareConcurrency is the number of logical processors the
// process may use.
//
// In a worker's realm (env.Global.IsWorker()), the interface is
// WorkerNavigator ("readonly attribute WorkerNavigator navigator",
// https://html.spec.whatwg.org/multipage/workers.html#dom-worker-navigator),
// instead of Navigator, a window's.
func Register(env *bindings.Env) error {
	r := env.Realm
	opts := bindings.Config[Options](env)
	name := "Navigator"
	if env.Global.IsWorker() {
		name = "WorkerNavigator"
	}
	langs := opts.Languages
	if langs == nil {
		langs = envLanguages()
	} else {
		langs = canonicalList(langs)
	}
	constant := func(attr, v string) webidl.Attribute {
		return webidl.Attribute{Name: attr, Get: func(c webidl.Call) goja.Value { return c.VM().ToValue(v) }}
	}
	if err := r.DefineInterface(&webidl.Interface{
		Name: name,
		Attributes: []webidl.Attribute{
			// NavigatorID (https://html.spec.whatwg.org/#navigatorid).
			constant("appCodeName", "Mozilla"),
			constant("appName", "Netscape"),
			constant("platform", Platform()),
			constant("product", "Gecko"),
			constant("userAgent", UserAgent()),
			// NavigatorLanguage (https://html.spec.whatwg.org/#navigatorlanguage).
			{Name: "language", Get: func(c webidl.Call) goja.Value {
				return c.VM().ToValue(c.Impl.(*navigator).languages[0])
			}},
			{Name: "languages", Get: func(c webidl.Call) goja.Value {
				// The same frozen array each time, as long as the
				// languages stay the same.
				n := c.Impl.(*navigator)
				if n.frozen == nil {
					vs := make([]goja.Value, len(n.languages))
					for i, l := range n.languages {
						vs[i] = c.VM().ToValue(l)
					}
					n.frozen = c.Realm.FrozenArray(vs...)
				}
				return n.frozen
			}},
			// NavigatorOnLine (https://html.spec.whatwg.org/#navigatoronline).
			{Name: "onLine", Get: func(c webidl.Call) goja.Value { return c.VM().ToValue(true) }},
			// NavigatorConcurrentHardware
			// (https://html.spec.whatwg.org/#navigatorconcurrenthardware).
			{Name: "hardwareConcurrency", Get: func(c webidl.Call) goja.Value {
				return c.VM().ToValue(runtime.NumCPU())
			}},
		},
	}); err != nil {
		return err
	}
	obj := r.New(name, &navigator{languages: langs})
	// readonly attribute Navigator navigator
	// (https://html.spec.whatwg.org/multipage/system-state.html#dom-navigator),
	// or WorkerNavigator in a worker.
	return r.DefineGlobalMembers([]webidl.Attribute{{
		Name: "navigator", Get: func(webidl.Call) goja.Value { return obj },
	}}, nil)
}

// UserAgent returns the runtime's user agent string, "wsjs/" and the version
// of the wsjs module the program was built with, or "wsjs/devel" for a build
// whose version is not known.
func UserAgent() string {
	userAgentOnce.Do(func() {
		v := ""
		if bi, ok := debug.ReadBuildInfo(); ok {
			if bi.Main.Path == modulePath {
				v = bi.Main.Version
			}
			for _, d := range bi.Deps {
				if d.Path == modulePath {
					v = d.Version
					if d.Replace != nil && d.Replace.Version != "" {
						v = d.Replace.Version
					}
				}
			}
		}
		v = strings.TrimPrefix(v, "v")
		if v == "" || v == "(devel)" {
			v = "devel"
		}
		userAgent = "wsjs/" + v
	})
	return userAgent
}

const modulePath = "github.com/wsjs/wsjs"

var (
	userAgentOnce sync.Once
	userAgent     string
)

// Platform returns the platform string of navigator.platform for the
// operating system and processor the program runs on, in the form browsers
// use there.
func Platform() string {
	return platformFor(runtime.GOOS, runtime.GOARCH)
}

func platformFor(goos, goarch string) string {
	switch goos {
	case "darwin", "ios":
		if goos == "ios" {
			return "iPhone"
		}
		// Browsers on Apple silicon still say MacIntel.
		return "MacIntel"
	case "windows":
		// Browsers say Win32 on 64-bit Windows too.
		return "Win32"
	}
	arch := map[string]string{
		"amd64": "x86_64", "386": "i686", "arm64": "aarch64", "arm": "armv7l",
		"riscv64": "riscv64", "ppc64le": "ppc64le", "ppc64": "ppc64", "s390x": "s390x",
		"loong64": "loongarch64", "mips64le": "mips64", "mips64": "mips64", "mipsle": "mips", "mips": "mips",
	}[goarch]
	if arch == "" {
		arch = goarch
	}
	system := map[string]string{
		"linux": "Linux", "android": "Linux", "freebsd": "FreeBSD", "openbsd": "OpenBSD",
		"netbsd": "NetBSD", "dragonfly": "DragonFly", "solaris": "SunOS", "illumos": "SunOS", "aix": "AIX",
	}[goos]
	if system == "" {
		system = goos
	}
	return system + " " + arch
}

// envLanguages returns the languages the environment names, as Options
// describes, computed once.
func envLanguages() []string {
	envOnce.Do(func() {
		var list []string
		locale := firstSet("LC_ALL", "LC_MESSAGES", "LANG")
		// GNU gettext ignores LANGUAGE when the locale is C: so do we.
		if base, _, _ := strings.Cut(locale, "."); base != "C" && base != "POSIX" {
			if l := os.Getenv("LANGUAGE"); l != "" {
				list = append(list, strings.Split(l, ":")...)
			}
		}
		list = append(list, locale)
		envLangs = canonicalList(list)
	})
	return envLangs
}

var (
	envOnce  sync.Once
	envLangs []string
)

func firstSet(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// canonicalList converts each entry with LanguageTag, drops those that are
// not languages and duplicates, and returns ["en-US"] if nothing is left.
func canonicalList(in []string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, s := range in {
		tag, ok := LanguageTag(s)
		if !ok || seen[tag] {
			continue
		}
		seen[tag] = true
		out = append(out, tag)
	}
	if len(out) == 0 {
		out = []string{"en-US"}
	}
	return out
}

// LanguageTag converts a POSIX locale name ("pt_BR.UTF-8@euro") or a BCP 47
// language tag ("pt-br") to the form navigator.language uses ("pt-BR"): the
// language subtag in lower case, a region subtag in upper case, a script
// subtag in title case. It reports false for "C", "POSIX" and anything that
// is not a language tag: a language of 2, 3 or 5 to 8 letters, then subtags
// of 1 to 8 letters and digits.
func LanguageTag(s string) (string, bool) {
	s, _, _ = strings.Cut(s, ".") // codeset
	s, _, _ = strings.Cut(s, "@") // modifier
	if s == "" || s == "C" || s == "POSIX" {
		return "", false
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' })
	if len(parts) == 0 || strings.Count(s, "_")+strings.Count(s, "-") != len(parts)-1 {
		return "", false
	}
	var b strings.Builder
	for i, p := range parts {
		if len(p) < 1 || len(p) > 8 {
			return "", false
		}
		for j := 0; j < len(p); j++ {
			c := p[j]
			letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !letter && !(i > 0 && c >= '0' && c <= '9') {
				return "", false
			}
		}
		switch {
		case i == 0:
			if len(p) == 4 || len(p) < 2 {
				return "", false
			}
			p = strings.ToLower(p)
		case len(p) == 2 && isAlpha(p):
			p = strings.ToUpper(p)
		case len(p) == 4 && isAlpha(p):
			p = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			p = strings.ToLower(p)
		}
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(p)
	}
	return b.String(), true
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
