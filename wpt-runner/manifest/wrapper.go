package manifest

import (
	"fmt"
	"strings"
)

// Generated pages.
//
// The WPT server answers the URLs of .any.js, .window.js and .worker.js tests
// with pages it generates (tools/serve/serve.py, the *Handler classes):
// testharness.js and testharnessreport.js, then, for a window, the META
// scripts and the test file; for a worker, one inline script that starts the
// worker and collects its results with fetch_tests_from_worker. Page builds the
// same pages, so that a runner treats every test as an HTML page.

// Page returns the HTML page the WPT server generates for t, or false for an
// HTML test, which is its own page.
func (t Test) Page() ([]byte, bool) {
	if t.Type == HTML {
		return nil, false
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<meta charset=utf-8>\n")
	if t.Long {
		b.WriteString("<meta name=timeout content=long>\n")
	}
	if title := t.Title(); title != "" {
		fmt.Fprintf(&b, "<title>%s</title>\n", escapeText(title))
	}
	src := "/" + t.File
	query := t.Variant
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	switch {
	case t.Type == WindowJS:
		harness(&b)
		metaScripts(&b, t)
		scriptSrc(&b, src)
	case t.Type == WorkerJS:
		harness(&b)
		workerStarter(&b, DedicatedWorker, src+query)
	case t.Global == Window:
		globalFlags(&b, "true", "false", "false")
		harness(&b)
		metaScripts(&b, t)
		scriptSrc(&b, src)
	case t.Global == JSShell:
		globalFlags(&b, "false", "false", "false")
		scriptSrc(&b, "/resources/testharness.js")
		metaScripts(&b, t)
		scriptSrc(&b, src)
	case t.Global == ShadowRealmInWindow:
		harness(&b)
		shadowRealmStarter(&b, t)
	default:
		harness(&b)
		workerJS := strings.TrimSuffix(src, ".any.js") + ".any.worker.js"
		if strings.HasSuffix(string(t.Global), "-module") {
			workerJS = strings.TrimSuffix(src, ".any.js") + ".any.worker-module.js"
		}
		workerStarter(&b, t.Global, workerJS+query)
	}
	return []byte(b.String()), true
}

func harness(b *strings.Builder) {
	scriptSrc(b, "/resources/testharness.js")
	scriptSrc(b, "/resources/testharnessreport.js")
}

func metaScripts(b *strings.Builder, t Test) {
	for _, s := range t.Scripts() {
		scriptSrc(b, s)
	}
}

func scriptSrc(b *strings.Builder, src string) {
	fmt.Fprintf(b, "<script src=\"%s\"></script>\n", escapeAttr(src))
}

// globalFlags defines self.GLOBAL, which tests of .any.js files use to learn
// what kind of global they run in.
func globalFlags(b *strings.Builder, window, worker, shadowRealm string) {
	fmt.Fprintf(b, "<script>\nself.GLOBAL = {\n  isWindow: () => %s,\n  isWorker: () => %s,\n  isShadowRealm: () => %s,\n};\n</script>\n",
		window, worker, shadowRealm)
}

// workerStarter starts the test in a worker of kind g and collects its
// results.
func workerStarter(b *strings.Builder, g Global, url string) {
	u := jsString(url)
	var start string
	switch g {
	case DedicatedWorker:
		start = "fetch_tests_from_worker(new Worker(" + u + "));"
	case DedicatedWorkerModule:
		start = "fetch_tests_from_worker(new Worker(" + u + ", {type: \"module\"}));"
	case SharedWorker:
		start = "fetch_tests_from_worker(new SharedWorker(" + u + "));"
	case SharedWorkerModule:
		start = "fetch_tests_from_worker(new SharedWorker(" + u + ", {type: \"module\"}));"
	case ServiceWorker, ServiceWorkerModule:
		opts := "{scope}"
		if g == ServiceWorkerModule {
			opts = "{scope, type: \"module\"}"
		}
		start = "(async () => {\n  const scope = \"does/not/exist\";\n" +
			"  const old = await navigator.serviceWorker.getRegistration(scope);\n" +
			"  if (old) await old.unregister();\n" +
			"  const reg = await navigator.serviceWorker.register(" + u + ", " + opts + ");\n" +
			"  fetch_tests_from_worker(reg.installing);\n})();"
	default:
		// The remaining shadow realm globals start in a worker or a realm
		// this runner has no page for; they fail as a browser without them
		// would.
		start = "throw new TypeError(" + jsString("global "+string(g)+" has no generated page in this runner") + ");"
	}
	fmt.Fprintf(b, "<script>\n%s\n</script>\n", start)
}

// shadowRealmStarter runs the test in a ShadowRealm created by the window and
// collects its results.
func shadowRealmStarter(b *strings.Builder, t Test) {
	var imports strings.Builder
	for _, s := range t.Scripts() {
		fmt.Fprintf(&imports, "      await import(%s);\n", jsString(s))
	}
	fmt.Fprintf(b, `<script>
(async () => {
  const realm = new ShadowRealm();
  realm.evaluate("globalThis.self = globalThis; undefined;");
  realm.evaluate("s => { globalThis.location = { search: s }; }")(location.search);
  await new Promise(realm.evaluate(`+"`"+`(resolve, reject) => {
    (async () => {
      globalThis.GLOBAL = {
        isWindow: () => false,
        isWorker: () => false,
        isShadowRealm: () => true,
      };
      await import("/resources/testharness.js");
%s      await import(%s);
    })().then(resolve, e => reject(String(e)));
  }`+"`"+`));
  await fetch_tests_from_shadow_realm(realm);
  done();
})();
</script>
`, imports.String(), jsString("/"+t.File))
}

// escapeText escapes s for HTML text.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(s)
}

// escapeAttr escapes s for a double-quoted HTML attribute.
func escapeAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "\"", "&quot;").Replace(s)
}

// jsString returns s as a double-quoted JavaScript string literal that is
// also safe inside a <script> element.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '<':
			b.WriteString(`\x3c`)
		case '\u2028', '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
