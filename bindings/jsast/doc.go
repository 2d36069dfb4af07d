// Package jsast walks goja's syntax trees, which goja's ast package gives no
// walker for. The script loader uses it to give functions the source text
// they were written with, the built-ins to give the functions they write
// in JavaScript the source text of built-in functions, and blockfunc to find
// the functions of non-strict code.
package jsast
