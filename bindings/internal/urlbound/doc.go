// Package urlbound bounds the URLs wsjs hands to its URL parser library
// (github.com/nlnwa/whatwg-url), whose running time grows with the square
// of some of their parts, out of reach of any deadline: it builds the
// serialization of a path by appending one segment at a time to a string,
// and so the percent-encoded userinfo and an opaque host, one code point at
// a time. Before this bound, new URL("http://x/" + "a/".repeat(1e5)) took 22
// seconds and new URL("foo://" + "a".repeat(8e4)) 5. The standard sets no
// such bound (browsers bound the whole URL: 2 MiB in Chromium, 1 MiB in
// Firefox); Check refuses, as a parse failure, a URL that holds more path
// segments or a longer authority than anyone writes, and the parts the
// library handles in linear time (a long segment, query, fragment, opaque
// path such as a data: URL's) are not bounded. Percent-encoding can make a
// byte of input nine bytes of output (an invalid byte becomes %EF%BF%BD),
// so callers check the serialization of what they parsed as well, and
// refuse it too if it passes: a URL they give out always parses again.
package urlbound
