package jsregexp

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// The Unicode properties RegExp property escapes name
// (https://tc39.es/ecma262/#sec-runtime-semantics-unicodematchproperty-p and
// https://tc39.es/ecma262/#sec-runtime-semantics-unicodematchpropertyvalue-p-v),
// from unicode.gz, which scripts/regexp-unicode/gen.mjs writes. It is
// read once per process, the first time a pattern names a property; each
// property's code points are decoded the first time it is named.

//go:embed unicode.gz
var unicodeData []byte

// unicodeProps are the property and value names and the encoded sets.
type unicodeProps struct {
	version    string
	properties map[string]string            // alias or name -> name
	values     map[string]map[string]string // property -> alias or name -> name
	records    map[string][2]string         // "property/value" -> ranges, strings
	mu         sync.Mutex
	decoded    map[string]*charSet
}

var loadUnicodeProps = sync.OnceValue(func() *unicodeProps {
	u := &unicodeProps{
		properties: map[string]string{},
		values:     map[string]map[string]string{},
		records:    map[string][2]string{},
		decoded:    map[string]*charSet{},
	}
	zr, err := gzip.NewReader(bytes.NewReader(unicodeData))
	if err != nil {
		panic("jsregexp: unicode.gz: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case f[0] == "v" && len(f) == 2:
			u.version = f[1]
		case f[0] == "p" && len(f) == 3:
			u.properties[f[1]] = f[2]
		case f[0] == "a" && len(f) == 4:
			m := u.values[f[1]]
			if m == nil {
				m = map[string]string{}
				u.values[f[1]] = m
			}
			m[f[2]] = f[3]
		case f[0] == "r" && len(f) == 4:
			u.records[f[1]] = [2]string{f[2], f[3]}
			prop, value, _ := strings.Cut(f[1], "/")
			if prop == "Binary" {
				u.properties[value] = value
			} else {
				m := u.values[prop]
				if m == nil {
					m = map[string]string{}
					u.values[prop] = m
				}
				m[value] = value
			}
		}
	}
	if err := sc.Err(); err != nil {
		panic("jsregexp: unicode.gz: " + err.Error())
	}
	for prop := range u.values {
		u.properties[prop] = prop
	}
	// Script_Extensions takes Script's values.
	if u.values["Script_Extensions"] == nil {
		u.values["Script_Extensions"] = u.values["Script"]
	}
	return u
})

// stringProperties are the binary properties of strings, which only the v
// flag allows (https://tc39.es/ecma262/#table-binary-unicode-properties-of-strings).
var stringProperties = map[string]bool{
	"Basic_Emoji": true, "Emoji_Keycap_Sequence": true, "RGI_Emoji_Modifier_Sequence": true,
	"RGI_Emoji_Flag_Sequence": true, "RGI_Emoji_Tag_Sequence": true, "RGI_Emoji_ZWJ_Sequence": true,
	"RGI_Emoji": true,
}

// lookupProperty resolves the body of \p{...}: name=value or a lone name. It
// returns the set and false when the pattern names no property
// ECMAScript knows (or, without strings allowed, a property of strings).
func lookupProperty(name, value string, hasValue, allowStrings bool) (*charSet, bool) {
	u := loadUnicodeProps()
	var key string
	if hasValue {
		prop, ok := u.properties[name]
		if !ok || (prop != "General_Category" && prop != "Script" && prop != "Script_Extensions") {
			return nil, false
		}
		v, ok := u.values[prop][value]
		if !ok && prop == "Script_Extensions" {
			v, ok = u.values["Script"][value]
		}
		if !ok {
			return nil, false
		}
		key = prop + "/" + v
		if _, ok := u.records[key]; !ok && prop == "Script_Extensions" {
			key = "Script/" + v // Unknown: the code points of no script
		}
	} else if v, ok := u.values["General_Category"][name]; ok {
		key = "General_Category/" + v
	} else if prop, ok := u.properties[name]; ok {
		if _, ok := u.records["Binary/"+prop]; !ok || stringProperties[prop] && !allowStrings {
			return nil, false
		}
		key = "Binary/" + prop
	} else {
		return nil, false
	}
	return u.set(key)
}

// set decodes (once) the record named key.
func (u *unicodeProps) set(key string) (*charSet, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if s, ok := u.decoded[key]; ok {
		return s, true
	}
	rec, ok := u.records[key]
	if !ok {
		return nil, false
	}
	s := &charSet{}
	prev := rune(-1)
	for _, p := range strings.Split(rec[0], ",") {
		if p == "" {
			continue
		}
		gap, length, _ := strings.Cut(p, ".")
		g, _ := strconv.ParseInt(gap, 16, 32)
		l, _ := strconv.ParseInt(length, 16, 32)
		lo := prev + rune(g)
		s.ranges = append(s.ranges, lo, lo+rune(l))
		prev = lo + rune(l)
	}
	if rec[1] != "" {
		for _, str := range strings.Split(rec[1], "|") {
			var rs []rune
			for _, h := range strings.Fields(str) {
				c, _ := strconv.ParseInt(h, 16, 32)
				rs = append(rs, rune(c))
			}
			s.addString(rs)
		}
	}
	u.decoded[key] = s
	return s, true
}
