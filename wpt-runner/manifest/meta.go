package manifest

import (
	"bytes"
	"strings"
)

// A Meta is one "// META: key=value" line from the header of a test script.
type Meta struct {
	Key, Value string
}

// ParseMeta reads the metadata header of a JavaScript test file: the lines at
// its very start that read "//", optional white space, "META:", optional white
// space, a key made of word characters, "=" and a value running to the end of
// the line. The header ends at the first line of any other form, as in WPT's
// manifest tool (tools/manifest/sourcefile.py, read_script_metadata). A value
// keeps its spaces; a carriage return ending the line is not part of it.
func ParseMeta(src []byte) []Meta {
	var out []Meta
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		m, ok := parseMetaLine(line)
		if !ok {
			break
		}
		out = append(out, m)
	}
	return out
}

// isPySpace reports whether c is white space for Python's \s on bytes.
func isPySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func parseMetaLine(line []byte) (Meta, bool) {
	if !bytes.HasPrefix(line, []byte("//")) {
		return Meta{}, false
	}
	i := 2
	for i < len(line) && isPySpace(line[i]) {
		i++
	}
	if !bytes.HasPrefix(line[i:], []byte("META:")) {
		return Meta{}, false
	}
	i += len("META:")
	for i < len(line) && isPySpace(line[i]) {
		i++
	}
	k := i
	for i < len(line) && isWordByte(line[i]) {
		i++
	}
	if i >= len(line) || line[i] != '=' {
		return Meta{}, false
	}
	key := string(line[k:i])
	value := string(bytes.TrimSuffix(line[i+1:], []byte("\r")))
	return Meta{Key: key, Value: value}, true
}

// metaValues returns the values of key, in order.
func metaValues(meta []Meta, key string) []string {
	var out []string
	for _, m := range meta {
		if m.Key == key {
			out = append(out, m.Value)
		}
	}
	return out
}

// firstMeta returns the first value of key.
func firstMeta(meta []Meta, key string) (string, bool) {
	for _, m := range meta {
		if m.Key == key {
			return m.Value, true
		}
	}
	return "", false
}

// A Global is a kind of global scope a .any.js test can run in, as named in
// "// META: global=" lines.
type Global string

// The global scopes WPT knows; each becomes one test URL of a .any.js file.
const (
	Window                       Global = "window"
	DedicatedWorker              Global = "dedicatedworker"
	DedicatedWorkerModule        Global = "dedicatedworker-module"
	SharedWorker                 Global = "sharedworker"
	SharedWorkerModule           Global = "sharedworker-module"
	ServiceWorker                Global = "serviceworker"
	ServiceWorkerModule          Global = "serviceworker-module"
	ShadowRealmInWindow          Global = "shadowrealm-in-window"
	ShadowRealmInShadowRealm     Global = "shadowrealm-in-shadowrealm"
	ShadowRealmInDedicatedWorker Global = "shadowrealm-in-dedicatedworker"
	ShadowRealmInSharedWorker    Global = "shadowrealm-in-sharedworker"
	ShadowRealmInServiceWorker   Global = "shadowrealm-in-serviceworker"
	ShadowRealmInAudioWorklet    Global = "shadowrealm-in-audioworklet"
	JSShell                      Global = "jsshell"
)

// globalInfo says how a global's test URL is formed.
type globalInfo struct {
	suffix      string // replaces ".js" of the file name (after ".any." became ".")
	forceHTTPS  bool   // the test must be loaded over https
	shorthandOf []Global
}

// globals maps every keyword of a "global=" value to its meaning, after WPT's
// tools/manifest/sourcefile.py (_any_variants): a keyword either names one
// global or is shorthand for several.
var globals = map[string]globalInfo{
	"window":                         {suffix: ".any.html"},
	"dedicatedworker":                {suffix: ".any.worker.html"},
	"dedicatedworker-module":         {suffix: ".any.worker-module.html"},
	"sharedworker":                   {suffix: ".any.sharedworker.html"},
	"sharedworker-module":            {suffix: ".any.sharedworker-module.html"},
	"serviceworker":                  {suffix: ".any.serviceworker.html", forceHTTPS: true},
	"serviceworker-module":           {suffix: ".any.serviceworker-module.html", forceHTTPS: true},
	"shadowrealm-in-window":          {suffix: ".any.shadowrealm-in-window.html"},
	"shadowrealm-in-shadowrealm":     {suffix: ".any.shadowrealm-in-shadowrealm.html"},
	"shadowrealm-in-dedicatedworker": {suffix: ".any.shadowrealm-in-dedicatedworker.html"},
	"shadowrealm-in-sharedworker":    {suffix: ".any.shadowrealm-in-sharedworker.html"},
	"shadowrealm-in-serviceworker":   {suffix: ".any.shadowrealm-in-serviceworker.html", forceHTTPS: true},
	"shadowrealm-in-audioworklet":    {suffix: ".any.shadowrealm-in-audioworklet.html", forceHTTPS: true},
	"jsshell":                        {suffix: ".any.js"},
	"worker":                         {shorthandOf: []Global{DedicatedWorker, SharedWorker, ServiceWorker}},
	"worker-module":                  {shorthandOf: []Global{DedicatedWorkerModule, SharedWorkerModule, ServiceWorkerModule}},
	"shadowrealm": {shorthandOf: []Global{ShadowRealmInWindow, ShadowRealmInShadowRealm, ShadowRealmInDedicatedWorker,
		ShadowRealmInSharedWorker, ShadowRealmInServiceWorker, ShadowRealmInAudioWorklet}},
}

// defaultGlobals are the globals of a .any.js file without a "global=" line.
var defaultGlobals = []Global{Window, DedicatedWorker}

// ParseGlobals returns the globals a "global=" value names, and the keywords
// in it that name none (WPT ignores those). An empty value means the
// default, a window and a dedicated worker.
func ParseGlobals(value string) (gs []Global, unknown []string) {
	if value == "" {
		return append([]Global(nil), defaultGlobals...), nil
	}
	seen := map[Global]bool{}
	add := func(g Global) {
		if !seen[g] {
			seen[g] = true
			gs = append(gs, g)
		}
	}
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		info, ok := globals[item]
		switch {
		case !ok:
			unknown = append(unknown, item)
		case info.shorthandOf != nil:
			for _, g := range info.shorthandOf {
				add(g)
			}
		default:
			add(Global(item))
		}
	}
	return gs, unknown
}
