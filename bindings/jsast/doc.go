// Package jsast walks goja's syntax trees, which goja's ast package gives no
// walker for, and replaces expressions in them. The script loader uses it to
// give functions the source text they were written with, to find the
// regular expression literals it checks and to replace those goja cannot
// compile; the built-ins use it to give the functions they write in
// JavaScript the source text of built-in functions, and blockfunc to find
// the functions of non-strict code. IsPrimitive tells the awaits whose
// operand needs no PromiseResolve of the realm's (the loader's and eval's
// rewrites of awaits). End says where an expression's text ends, which
// goja's Idx1 gets wrong for some last tokens (names that are not ASCII,
// private names, regular expression literals with flags), and
// MendRegExpLiteral corrects the last of those in the tree.
package jsast
