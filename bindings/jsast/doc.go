// Package jsast walks goja's syntax trees, which goja's ast package gives no
// walker for, and replaces expressions in them. The script loader uses it to
// give functions the source text they were written with, to find the
// regular expression literals it checks and to replace those goja cannot
// compile; the built-ins use it to give the functions they write in
// JavaScript the source text of built-in functions, and blockfunc to find
// the functions of non-strict code. IsPrimitive tells the awaits whose
// operand needs no PromiseResolve of the realm's (the loader's and eval's
// rewrites of awaits). MendRegExpLiteral corrects where goja's parser ends
// a regular expression literal with flags, for code that reads the ends
// of nodes.
package jsast
