package wptserver

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// pipeCall is one function of a pipe string such as "sub|trickle(d1)".
type pipeCall struct {
	name string
	args []string
}

// parsePipes splits a pipe string the way wptserve's PipeTokenizer does:
// functions are separated by "|", arguments follow in parentheses separated
// by ",", and "\" escapes the next character ("\n", "\r", "\t" are control
// characters).
func parsePipes(s string) ([]pipeCall, error) {
	var calls []pipeCall
	i := 0
	for i < len(s) {
		// Function name.
		start := i
		for i < len(s) && s[i] != '(' && s[i] != '|' {
			i++
		}
		name := s[start:i]
		if i == len(s) || s[i] == '|' {
			if name != "" {
				calls = append(calls, pipeCall{name: name})
			}
			i++
			continue
		}
		// s[i] == '(': arguments until ")" or the end.
		i++
		call := pipeCall{name: name}
		var arg strings.Builder
		for {
			if i >= len(s) {
				call.args = append(call.args, arg.String())
				break
			}
			c := s[i]
			i++
			if c == '\\' {
				if i < len(s) {
					switch e := s[i]; e {
					case 'n':
						arg.WriteByte('\n')
					case 'r':
						arg.WriteByte('\r')
					case 't':
						arg.WriteByte('\t')
					default:
						arg.WriteByte(e)
					}
					i++
				}
				continue
			}
			if c == ',' {
				call.args = append(call.args, arg.String())
				arg.Reset()
				continue
			}
			if c == ')' {
				call.args = append(call.args, arg.String())
				break
			}
			arg.WriteByte(c)
		}
		calls = append(calls, call)
	}
	return calls, nil
}

// pipeline returns the pipe string for a response: sub for files whose
// name contains ".sub." (HTML-escaping for markup types), then the last
// ?pipe= value (tools/wptserve/wptserve/handlers.py, wrap_pipeline).
func pipeline(filePath, rawQuery string) string {
	var p string
	if strings.Contains(filePath, ".sub.") {
		switch filepath.Ext(filePath) {
		case ".html", ".htm", ".xht", ".xhtml", ".xml", ".svg":
			p = "sub(html)"
		default:
			p = "sub(none)"
		}
	}
	if v := parsePipeQuery(rawQuery)["pipe"]; len(v) > 0 {
		if p != "" {
			p += "|"
		}
		p += v[len(v)-1]
	}
	return p
}

// applyPipes runs the pipe string on resp.
func applyPipes(pipes string, env *subEnv, resp *response) error {
	if pipes == "" {
		return nil
	}
	calls, err := parsePipes(pipes)
	if err != nil {
		return err
	}
	for _, c := range calls {
		if err := applyPipe(c, env, resp); err != nil {
			return fmt.Errorf("pipe %s: %w", c.name, err)
		}
	}
	return nil
}

func argCount(c pipeCall, lo, hi int) error {
	if len(c.args) < lo || len(c.args) > hi {
		return fmt.Errorf("expected between %d and %d args, got %d", lo, hi, len(c.args))
	}
	return nil
}

// nullableInt parses an argument that may be "null".
func nullableInt(s string) (n int, null bool, err error) {
	if strings.EqualFold(s, "null") {
		return 0, true, nil
	}
	n, err = strconv.Atoi(strings.TrimSpace(s))
	return n, false, err
}

func applyPipe(c pipeCall, env *subEnv, resp *response) error {
	switch c.name {
	case "status":
		if err := argCount(c, 1, 1); err != nil {
			return err
		}
		code, err := strconv.Atoi(strings.TrimSpace(c.args[0]))
		if err != nil || code < 100 || code > 999 {
			return fmt.Errorf("bad status %q", c.args[0])
		}
		resp.status, resp.reason = code, ""
	case "header":
		if err := argCount(c, 2, 3); err != nil {
			return err
		}
		appendMode := false
		if len(c.args) == 3 {
			switch strings.ToLower(c.args[2]) {
			case "true", "1":
				appendMode = true
			case "false", "0":
			default:
				return fmt.Errorf("bad boolean %q", c.args[2])
			}
		}
		if appendMode {
			resp.add(c.args[0], c.args[1])
		} else {
			resp.set(c.args[0], c.args[1])
		}
	case "sub":
		if err := argCount(c, 0, 1); err != nil {
			return err
		}
		html := true
		if len(c.args) == 1 {
			switch c.args[0] {
			case "html":
			case "none":
				html = false
			default:
				return fmt.Errorf("unknown escape type %q", c.args[0])
			}
		}
		out, err := env.substitute(resp.body, html)
		if err != nil {
			return err
		}
		resp.body = out
	case "slice":
		if err := argCount(c, 1, 2); err != nil {
			return err
		}
		start, startNull, err := nullableInt(c.args[0])
		if err != nil {
			return err
		}
		end, endNull := 0, true
		if len(c.args) == 2 {
			if end, endNull, err = nullableInt(c.args[1]); err != nil {
				return err
			}
		}
		n := len(resp.body)
		lo, hi := 0, n
		if !startNull {
			lo = pySliceIndex(start, n)
		}
		if !endNull {
			hi = pySliceIndex(end, n)
		}
		if hi < lo {
			hi = lo
		}
		resp.body = resp.body[lo:hi]
		resp.set("Content-Length", strconv.Itoa(len(resp.body)))
	case "gzip":
		if err := argCount(c, 0, 0); err != nil {
			return err
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(resp.body)
		zw.Close()
		resp.body = b.Bytes()
		resp.set("Content-Encoding", "gzip")
		resp.set("Content-Length", strconv.Itoa(len(resp.body)))
	case "trickle":
		if err := argCount(c, 1, 1); err != nil {
			return err
		}
		steps, err := parseTrickle(c.args[0])
		if err != nil {
			return err
		}
		if len(steps) == 0 {
			return nil
		}
		if !resp.has("Cache-Control") && !resp.has("Pragma") && !resp.has("Expires") {
			resp.set("Cache-Control", "no-cache, no-store, must-revalidate")
			resp.set("Pragma", "no-cache")
			resp.set("Expires", "0")
		}
		resp.trickle = steps
	default:
		return fmt.Errorf("unknown pipe")
	}
	return nil
}

// pySliceIndex clamps a Python slice bound to [0, n].
func pySliceIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}

type trickleKind int

const (
	trickleBytes trickleKind = iota
	trickleDelay
	trickleRepeat
)

type trickleStep struct {
	kind  trickleKind
	n     int           // bytes to send, or steps to repeat
	delay time.Duration // for trickleDelay
}

// parseTrickle parses a trickle argument: colon-separated byte counts,
// delays "dSECONDS" and a final "rN" repeating the previous N steps.
// Adjacent steps of one kind are merged.
func parseTrickle(s string) ([]trickleStep, error) {
	var steps []trickleStep
	for _, item := range strings.Split(s, ":") {
		var st trickleStep
		switch {
		case strings.HasPrefix(item, "d"):
			f, err := strconv.ParseFloat(item[1:], 64)
			if err != nil || f < 0 || f > 3600 {
				return nil, fmt.Errorf("bad delay %q", item)
			}
			st = trickleStep{kind: trickleDelay, delay: time.Duration(f * float64(time.Second))}
		case strings.HasPrefix(item, "r"):
			n, err := strconv.Atoi(item[1:])
			if err != nil || n%2 != 0 || n < 0 {
				return nil, fmt.Errorf("bad repeat %q", item)
			}
			st = trickleStep{kind: trickleRepeat, n: n}
		default:
			n, err := strconv.Atoi(item)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad byte count %q", item)
			}
			st = trickleStep{kind: trickleBytes, n: n}
		}
		if k := len(steps); k > 0 && steps[k-1].kind == st.kind {
			steps[k-1].n += st.n
			steps[k-1].delay += st.delay
			continue
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// runTrickle sends r.body through send following r.trickle.
func (r *response) runTrickle(ctx context.Context, send func([]byte) error) error {
	off := 0
	var run func(steps []trickleStep, repeat bool) error
	run = func(steps []trickleStep, repeat bool) error {
		for i, st := range steps {
			switch st.kind {
			case trickleBytes:
				end := min(off+st.n, len(r.body))
				if end > off {
					if err := send(r.body[off:end]); err != nil {
						return err
					}
				}
				off = end
			case trickleDelay:
				if err := sleepCtx(ctx, st.delay); err != nil {
					return err
				}
			case trickleRepeat:
				if i != len(steps)-1 {
					continue
				}
				window := steps[max(0, i-st.n):i]
				sends := false
				for _, w := range window {
					sends = sends || w.kind == trickleBytes && w.n > 0
				}
				if !sends {
					return fmt.Errorf("trickle repeats steps that send nothing")
				}
				for off < len(r.body) {
					if err := run(window, true); err != nil {
						return err
					}
				}
			}
		}
		if !repeat && off < len(r.body) {
			if err := send(r.body[off:]); err != nil {
				return err
			}
			off = len(r.body)
		}
		return nil
	}
	return run(r.trickle, false)
}
