package urlbound

import (
	"errors"
	"strings"
)

const (
	// MaxSegments bounds the path segments of a URL: serializing 2,048
	// takes the library about 15 ms.
	MaxSegments = 2048
	// MaxAuthority bounds the userinfo and host of a URL, in bytes:
	// percent-encoding 8 KiB takes the library about 50 ms.
	MaxAuthority = 8 << 10
)

// ErrTooComplex is Check's error.
var ErrTooComplex = errors.New("URL with more than 2,048 path segments or an authority longer than 8 KiB")

// Check returns ErrTooComplex if input, a URL string the parser is about to
// read, passes MaxSegments or MaxAuthority, as the parser would read it.
func Check(input string) error {
	if !strings.ContainsAny(input, "/\\") && len(input) <= MaxAuthority {
		return nil
	}
	// The parser's first steps: tabs and newlines removed, C0 controls and
	// spaces trimmed (https://url.spec.whatwg.org/#concept-basic-url-parser).
	if strings.ContainsAny(input, "\t\n\r") {
		input = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(input)
	}
	input = strings.TrimFunc(input, func(r rune) bool { return r <= ' ' })
	// Segments and authority end where the query or fragment begins.
	if i := strings.IndexAny(input, "?#"); i >= 0 {
		input = input[:i]
	}
	// Each segment follows a slash; two more may come before a host, one
	// after it.
	if strings.Count(input, "/")+strings.Count(input, "\\") > MaxSegments+3 {
		return ErrTooComplex
	}
	if len(authority(input)) > MaxAuthority {
		return ErrTooComplex
	}
	return nil
}

// authority returns what the parser may read as input's userinfo and host:
// after a special scheme and the slashes after it, or after two leading
// slashes (with or without another scheme), up to the next slash.
func authority(input string) string {
	rest := input
	if i := schemeEnd(input); i >= 0 {
		rest = input[i+1:]
		if !special[strings.ToLower(input[:i])] && !strings.HasPrefix(rest, "//") {
			return "" // an opaque path, or a path
		}
		if strings.EqualFold(input[:i], "file") {
			// A file URL's host is what follows exactly two slashes
			// (https://url.spec.whatwg.org/#file-slash-state); after
			// three it is empty, and what follows is the path.
			if len(rest) < 2 || !isSlash(rest[0]) || !isSlash(rest[1]) {
				return ""
			}
			rest = rest[2:]
			return rest[:pathStart(rest)]
		}
	} else if !strings.HasPrefix(rest, "//") && !strings.HasPrefix(rest, `\\`) {
		return ""
	}
	rest = strings.TrimLeft(rest, `/\`)
	return rest[:pathStart(rest)]
}

// pathStart returns the index of the first slash in s, or len(s).
func pathStart(s string) int {
	if i := strings.IndexAny(s, `/\`); i >= 0 {
		return i
	}
	return len(s)
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }

// special holds the special schemes (https://url.spec.whatwg.org/#special-scheme).
var special = map[string]bool{"ftp": true, "file": true, "http": true, "https": true, "ws": true, "wss": true}

// schemeEnd returns the index of the colon that ends input's scheme, or -1.
func schemeEnd(input string) int {
	for i := 0; i < len(input); i++ {
		c := input[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return -1
		}
	}
	return -1
}

// CheckComponent returns ErrTooComplex if value, given to the setter of the
// URL attribute name, would pass MaxSegments or MaxAuthority.
func CheckComponent(name, value string) error {
	switch name {
	case "pathname":
		if strings.Count(value, "/")+strings.Count(value, `\`) > MaxSegments {
			return ErrTooComplex
		}
	case "username", "password", "host", "hostname":
		if len(value) > MaxAuthority {
			return ErrTooComplex
		}
	}
	return nil
}
