// Package jsnest bounds how deeply JavaScript source text nests, before a
// parser that recurses in Go sees it.
//
// goja's parser and compiler, and esbuild's parser, recurse once (or a few
// times) per level of nesting: brackets, operators of one expression, and
// statements such as if, for and labels without braces. A goroutine whose
// stack passes Go's limit (1 GB) ends the process with a fatal error that no
// recover stops, so `eval("[".repeat(1e6) + "]".repeat(1e6))` would take the
// host down; and goja's compile time grows with the square of some chains'
// length (`1+1+...` of 100,000 terms compiles for minutes), out of reach of
// any deadline. Check reads the text once, in linear time, and refuses
// text whose nesting, as it estimates it, passes MaxDepth.
//
// The estimate is an upper bound of the depth of the syntax tree for
// JavaScript and TypeScript that parses: each open bracket counts one, and
// within each bracket every operator, keyword operator and statement keyword
// since the last point where an expression or statement surely ended (a
// semicolon, a comma, the start of a case clause, an operand followed by
// the start of another) counts one, as it may start a level of its own. So
// a long statement list or array literal is flat, and `a + b + c` counts
// three; a label counts more (labelWeight), as goja's parser takes time
// that grows with the square of nested labels. V8 refuses nesting at a
// similar depth (about 2,000 brackets, 1,600 nested if statements). The
// deepest text of each kind Check allows goes through goja's parser and
// compiler in under half a second, with under 32 MB of stack (the goja of
// go.mod; TestDeepestAllowedCompiles), and the most deeply nested file of
// 23,000 in popular npm packages (typescript, three, pdfjs-dist, firebase,
// highlight.js, ...) is estimated at 778.
//
// Whether a / starts a regular expression depends on the grammar; Check
// decides it from the tokens before it as a parser would, following which
// parentheses end the head of an if, for, while or with statement, and
// which braces are blocks. Where it takes a / for a regular expression
// after ) or }, or after a word that may be a name (yield, await, of),
// the brackets that open inside the literal count as well, so that text
// read the other way is not deeper than estimated.
package jsnest
