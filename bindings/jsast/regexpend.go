package jsast

import "github.com/dop251/goja/ast"

// goja's parser ends a regular expression literal with flags where the
// token after it ends, less one byte: the Literal of /a/g in "/a/g === b"
// is "/a/g ==", and at the end of the source, "/a/g" reads "/a/". Every
// Idx1 that ends with such a literal inherits the error: an arrow's
// concise body, the right operand of an operator, an await's operand.
// The loader mends them, for what reads their Literal; code that puts text
// at a node's end asks End (end.go). goja reads only Pattern and Flags,
// which are right.

// MendRegExpLiteral gives l the Literal its source text has: the pattern
// between slashes and the flags, as written (goja keeps both raw).
func MendRegExpLiteral(l *ast.RegExpLiteral) {
	if n := regExpEnd(l) - (int(l.Idx) - 1); len(l.Literal) != n {
		l.Literal = "/" + l.Pattern + "/" + l.Flags
	}
}

// UnterminatedRegExp is V8's message for a literal without its closing
// slash, the SyntaxError such a literal is.
const UnterminatedRegExp = "Invalid regular expression: missing /"

// RegExpTerminated reports whether the literal l, parsed from src, has its
// closing slash: goja's parser takes an unterminated class at the end of
// the source ("/[") for a literal, its pattern cut short, which no text
// written after it could leave a literal.
func RegExpTerminated(src string, l *ast.RegExpLiteral) bool {
	at := int(l.Idx) + len(l.Pattern) // the closing slash, if any
	return at < len(src) && src[at] == '/'
}
