// Package bigintguard rewrites the BigInt operators goja computes without a
// bound, before goja compiles them.
//
// goja's operators on BigInts run in Go with no bound on the size of their
// result and no hook: 1n << (2n ** 40n) asked Go for 128 GiB, a fatal
// out-of-memory error that ends the process, and 3n ** 600000000n
// multiplies for minutes, past any deadline, in one instruction. Edits
// finds, in a parsed script, the exponentiations (** and **=) and the
// shifts (<< >> <<= >>=) whose right operand may be a BigInt, and returns
// the insertions that route them through small arrow functions written
// into the source (pure syntax: no name that script could shadow or
// redefine, even through a with statement, is looked up):
//
//   - a shift's right operand is passed through a function that, for a
//     BigInt or an object, returns an object whose valueOf converts it
//     (ToNumeric, when the operator converts it: after its left operand)
//     and throws V8's RangeError, "Maximum BigInt size exceeded", for a
//     count that would shift left by more than 2^24 bits (V8's largest
//     BigInt has 2^30, but goja takes 3 s to print one of 2^24 bits as a
//     decimal string, in a conversion no hook reaches, and most of an hour
//     for 2^30); a right shift by 2^64 or more, which goja takes modulo
//     2^64, is made one by 2^64-1;
//   - an exponentiation L ** R becomes pow(L)(R), which converts both
//     operands in the operator's order and throws the same RangeError
//     where the result would pass 2^24 bits (goja computes a power by
//     repeated multiplication: a result of 2^24 bits takes it half a
//     second, one of 2^30 minutes); bases 0, 1 and -1 and exponents 0
//     and 1 are left to goja. A compound assignment T **= R becomes
//     T = pow(T)(R) where evaluating T twice cannot be seen (a name, or
//     a property of this, super or a name by a literal key), and calls
//     that evaluate T's object and key once otherwise.
//
// Shifts whose count cannot be a BigInt (a number literal, a small BigInt
// literal, x & 31, n - 1...) are left alone. In a function's body, a count
// is tested first and goes through the guard only when it is not a Number,
// with no function made otherwise (locals.go): a name that is a parameter or
// variable of the function is read twice, any other count goes through a
// variable the rewrite declares in the function (__wsjs$bigint, which a
// script may not name). Elsewhere (a with statement's body, parameters'
// initializers, code outside any function) the guard is a closure made and
// called each time. An MD5-like loop rotating by a parameter, and one
// rotating by a table's entry (x << s[i & 15]), take 1.03 and 1.05 times as
// long (paired runs of the whole process, medians of 9; 2.0 for the second
// with a closure per shift).
package bigintguard
