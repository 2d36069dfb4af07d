package jsast

import "github.com/dop251/goja/ast"

// goja's parser ends a regular expression literal with flags where the
// token after it ends, less one byte: the Literal of /a/g in "/a/g === b"
// is "/a/g ==", and at the end of the source, "/a/g" reads "/a/". Every
// Idx1 that ends with such a literal inherits the error: an arrow's
// concise body, the right operand of an operator, an await's operand.
// Code that puts text at a node's end mends the literals first; goja reads
// only Pattern and Flags, which are right.

// MendRegExpLiteral gives l the Literal its source text has: the pattern
// between slashes and the flags, as written (goja keeps both raw).
func MendRegExpLiteral(l *ast.RegExpLiteral) {
	if n := len(l.Pattern) + 2 + len(l.Flags); len(l.Literal) != n {
		l.Literal = "/" + l.Pattern + "/" + l.Flags
	}
}
