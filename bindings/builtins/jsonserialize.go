package builtins

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// JSON.stringify with a replacer array, whose steps are taken here
// (https://tc39.es/ecma262/#sec-json.stringify) with a bound on the depth.

// serializer is the JSON Serialization Record
// (https://tc39.es/ecma262/#sec-json-serialization-record).
type serializer struct {
	*jsonBound
	stack        []*goja.Object
	indent, gap  string
	propertyList []goja.Value
	out          goja.StringBuilder
}

// serialize is JSON.stringify from step 4, where replacer is an array.
func (j *jsonBound) serialize(value goja.Value, replacer *goja.Object, space goja.Value) goja.Value {
	s := &serializer{jsonBound: j}
	s.propertyList = s.listOf(replacer)
	s.gap = s.gapOf(space)
	wrapper := j.vm.NewObject()
	_ = wrapper.DefineDataProperty("", value, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	if !s.property(j.vm.ToValue(""), wrapper) {
		return goja.Undefined()
	}
	return s.out.String()
}

// listOf is step 4.b: the property list of a replacer array.
func (s *serializer) listOf(replacer *goja.Object) []goja.Value {
	var list []goja.Value
	seen := map[string]bool{}
	n := toLength(replacer.Get("length").ToNumber())
	for k := int64(0); k < n; k++ {
		s.poll.Step()
		v := replacer.Get(strconv.FormatInt(k, 10))
		var item goja.Value
		switch x := v.(type) {
		case goja.String:
			item = x
		case *goja.Object:
			if c := s.className(x); c == "String" || c == "Number" {
				item = s.toString(x)
			}
		default:
			if isNumber(v) {
				item = s.vm.ToValue(v.String())
			}
		}
		if item != nil && !seen[item.String()] {
			seen[item.String()] = true
			list = append(list, item)
		}
	}
	return list
}

// gapOf is steps 5 to 8: the gap that space gives.
func (s *serializer) gapOf(space goja.Value) string {
	if o, ok := space.(*goja.Object); ok {
		switch s.className(o) {
		case "Number":
			space = o.ToNumber()
		case "String":
			space = s.toString(o)
		}
	}
	switch {
	case isNumber(space):
		n := math.Min(10, integerOrInfinity(space))
		if n < 1 {
			return ""
		}
		return strings.Repeat(" ", int(n))
	case isString(space):
		str := space.(goja.String)
		if str.Length() > 10 {
			str = str.Substring(0, 10)
		}
		return str.String()
	}
	return ""
}

// className is the class of o's internal slots, "" for a Proxy.
func (s *serializer) className(o *goja.Object) string {
	if o.ExportType() == proxyType {
		return ""
	}
	return o.ClassName()
}

// toString is ToString (https://tc39.es/ecma262/#sec-tostring).
func (s *serializer) toString(v goja.Value) goja.String {
	return stringBound{realm: s.realm}.toString(v)
}

// isNumber reports whether v is a Number (goja's are int64 or float64).
func isNumber(v goja.Value) bool {
	if _, isObject := v.(*goja.Object); isObject || v == nil {
		return false
	}
	switch v.ExportType() {
	case int64Type, float64Type:
		return true
	}
	return false
}

var (
	int64Type   = reflect.TypeOf(int64(0))
	float64Type = reflect.TypeOf(float64(0))
)

func isString(v goja.Value) bool {
	_, ok := v.(goja.String)
	return ok
}

// property is SerializeJSONProperty
// (https://tc39.es/ecma262/#sec-serializejsonproperty): it writes the value
// and reports true, or reports false for undefined.
func (s *serializer) property(key goja.Value, holder *goja.Object) bool {
	s.poll.Step()
	value := call(s.get, goja.Undefined(), holder, key)
	if o, isObject := value.(*goja.Object); isObject || value.ExportType() == bigIntType {
		var toJSON goja.Value
		if isObject {
			toJSON = o.Get("toJSON")
		} else {
			toJSON = call(s.get, goja.Undefined(), value.ToObject(s.vm), s.vm.ToValue("toJSON"), value)
		}
		if f, ok := goja.AssertFunction(toJSON); ok {
			value = call(f, value, key)
		}
	}
	if o, ok := value.(*goja.Object); ok {
		switch s.className(o) {
		case "Number":
			value = o.ToNumber()
		case "String":
			value = s.toString(o)
		case "Boolean", "BigInt":
			value = s.vm.ToValue(o.Export())
		}
	}
	switch {
	case goja.IsNull(value):
		s.out.WriteUTF8String("null")
	case value.ExportType() == boolType:
		s.out.WriteUTF8String(value.String())
	case isString(value):
		s.quote(value.(goja.String))
	case isNumber(value):
		if f := value.ToFloat(); math.IsInf(f, 0) || math.IsNaN(f) {
			s.out.WriteUTF8String("null")
		} else {
			s.out.WriteUTF8String(value.String())
		}
	case value.ExportType() == bigIntType:
		panic(s.vm.NewTypeError("Do not know how to serialize a BigInt"))
	default:
		o, ok := value.(*goja.Object)
		if !ok {
			return false // undefined or a Symbol
		}
		if _, callable := goja.AssertFunction(o); callable {
			return false
		}
		if call(s.isArray, goja.Undefined(), o).ToBoolean() {
			s.array(o)
		} else {
			s.object(o)
		}
	}
	return true
}

var boolType = reflect.TypeOf(true)

// enter is steps 1 to 4 of SerializeJSONObject and SerializeJSONArray, with
// the bound on the depth; it returns the indent to step back to.
func (s *serializer) enter(o *goja.Object) string {
	for _, x := range s.stack {
		if x == o {
			panic(s.vm.NewTypeError("Converting circular structure to JSON"))
		}
	}
	if len(s.stack) >= s.maxDepth {
		s.tooDeep()
	}
	s.stack = append(s.stack, o)
	stepback := s.indent
	s.indent += s.gap
	return stepback
}

// leave is the last steps of SerializeJSONObject and SerializeJSONArray:
// it closes what separate opened.
func (s *serializer) leave(stepback string, any bool, end string) {
	if any && s.gap != "" {
		s.out.WriteUTF8String("\n" + stepback)
	}
	s.out.WriteUTF8String(end)
	s.stack = s.stack[:len(s.stack)-1]
	s.indent = stepback
}

// separate writes what comes before the member at index i.
func (s *serializer) separate(i int) {
	if i > 0 {
		s.out.WriteUTF8String(",")
	}
	if s.gap != "" {
		s.out.WriteUTF8String("\n" + s.indent)
	}
}

// object is SerializeJSONObject
// (https://tc39.es/ecma262/#sec-serializejsonobject).
func (s *serializer) object(o *goja.Object) {
	stepback := s.enter(o)
	s.out.WriteUTF8String("{")
	n := 0
	for _, p := range s.propertyList {
		// The member is written only if the property serializes to
		// something: write into a builder of its own first.
		outer := s.out
		s.out = goja.StringBuilder{}
		ok := s.property(p, o)
		member := s.out.String()
		s.out = outer
		if !ok {
			continue
		}
		s.separate(n)
		n++
		s.quote(p.(goja.String))
		s.out.WriteUTF8String(":")
		if s.gap != "" {
			s.out.WriteUTF8String(" ")
		}
		s.out.WriteString(member)
	}
	s.leave(stepback, n > 0, "}")
}

// array is SerializeJSONArray
// (https://tc39.es/ecma262/#sec-serializejsonarray).
func (s *serializer) array(o *goja.Object) {
	stepback := s.enter(o)
	s.out.WriteUTF8String("[")
	n := toLength(o.Get("length").ToNumber())
	for i := int64(0); i < n; i++ {
		s.separate(int(min(i, 1)))
		if !s.property(s.vm.ToValue(strconv.FormatInt(i, 10)), o) {
			s.out.WriteUTF8String("null")
		}
	}
	s.leave(stepback, n > 0, "]")
}

// quote is QuoteJSONString (https://tc39.es/ecma262/#sec-quotejsonstring).
func (s *serializer) quote(str goja.String) {
	s.out.WriteUTF8String(`"`)
	n := str.Length()
	for i := 0; i < n; i++ {
		c := str.CharAt(i)
		switch {
		case c == '\b':
			s.out.WriteUTF8String(`\b`)
		case c == '\t':
			s.out.WriteUTF8String(`\t`)
		case c == '\n':
			s.out.WriteUTF8String(`\n`)
		case c == '\f':
			s.out.WriteUTF8String(`\f`)
		case c == '\r':
			s.out.WriteUTF8String(`\r`)
		case c == '"' || c == '\\':
			s.out.WriteUTF8String(`\` + string(rune(c)))
		case c < 0x20:
			s.out.WriteUTF8String(fmt.Sprintf(`\u%04x`, c))
		case utf16.IsSurrogate(rune(c)):
			if c < 0xDC00 && i+1 < n {
				if d := str.CharAt(i + 1); d >= 0xDC00 && d <= 0xDFFF {
					s.out.WriteRune(utf16.DecodeRune(rune(c), rune(d)))
					i++
					continue
				}
			}
			s.out.WriteUTF8String(fmt.Sprintf(`\u%04x`, c))
		default:
			s.out.WriteRune(rune(c))
		}
	}
	s.out.WriteUTF8String(`"`)
}
