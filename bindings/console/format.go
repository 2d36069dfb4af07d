package console

import (
	"strings"

	"github.com/dop251/goja"
)

// formatter is Formatter(args) (https://console.spec.whatwg.org/#formatter)
// for a string target and the arguments after it. It replaces the format
// specifiers of target from left to right with the conversion of the next
// argument and returns the result with the arguments no specifier used. Text
// produced by a conversion is not scanned for specifiers again, a specifier
// left without an argument stays as it is, and "%%" stands for "%".
func (c *console) formatter(target string, args []goja.Value) (string, []goja.Value) {
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(target); i++ {
		if target[i] != '%' {
			continue
		}
		spec := target[i+1]
		if spec == '%' {
			b.WriteString(target[last : i+1])
			i++
			last = i + 1
			continue
		}
		if len(args) == 0 {
			continue
		}
		converted, ok := c.convert(spec, args[0])
		if !ok {
			continue
		}
		b.WriteString(target[last:i])
		b.WriteString(converted)
		args = args[1:]
		i++
		last = i + 1
	}
	b.WriteString(target[last:])
	return b.String(), args
}

// convert applies the format specifier %spec to current (steps 4.1-4.6 of
// https://console.spec.whatwg.org/#formatter;
// https://console.spec.whatwg.org/#formatting-specifiers). It reports false
// for characters that are not specifiers.
func (c *console) convert(spec byte, current goja.Value) (string, bool) {
	in := c.in
	call := func(f goja.Callable, args ...goja.Value) string {
		v, err := f(goja.Undefined(), args...)
		if err != nil {
			panic(err) // an exception thrown by script code, such as toString
		}
		return v.String()
	}
	_, isSymbol := current.(*goja.Symbol)
	switch spec {
	case 's':
		// Call(%String%, undefined, « current »).
		return call(in.toStr, current), true
	case 'd', 'i':
		// NaN for a Symbol, else Call(%parseInt%, undefined, « current, 10 »).
		if isSymbol {
			return "NaN", true
		}
		return call(in.parseInt, current, c.vm.ToValue(10)), true
	case 'f':
		// NaN for a Symbol, else Call(%parseFloat%, undefined, « current »).
		if isSymbol {
			return "NaN", true
		}
		return call(in.parseFloat, current), true
	case 'o':
		// "Optimally useful formatting": four levels deep.
		opts := defaultInspect
		opts.depth = 4
		return in.inspect(current, opts), true
	case 'O':
		return in.inspect(current, defaultInspect), true
	case 'c':
		// CSS does not apply to text streams: the argument is consumed.
		return "", true
	}
	return "", false
}
