package websocket

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/gobwas/ws"
)

// The cases of the Autobahn-style suite, numbered and judged as Autobahn|Testsuite's
// client cases are (categories 1-7, 9, 10, 12 and 13). Each play function sets the
// case's expectations on the fuzzer, sends its frames and ends as the original does:
// closeAfter (the fuzzer closes once the client has handled everything) or killAfter
// (the client is expected to end the case). Every case must be OK: none is accepted as
// NON-STRICT, although Autobahn allows it for 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5, 5.15
// (the echo of the message before the bad frame missing) and 6.4.x (invalid UTF-8
// detected only once the message is complete). Autobahn's own informational cases,
// 7.1.6, 7.13.1 and 7.13.2, are played and logged, not judged.

type abCase struct {
	id   string
	desc string
	// ext is the permessage-deflate response the fuzzer gives when the client
	// offers it ("" accepts no extension).
	ext  string
	play func(f *fuzzer)
	// informational: Autobahn reports the outcome without judging it, because RFC
	// 6455 leaves it open; the suite logs it.
	informational string
}

// abScale sizes the heavy categories and the one timed wait (quietWait, case 6.4.3
// and 6.4.4, where Autobahn waits a second).
type abScale struct {
	sizeDiv    int // category 9 message sizes are divided by this
	rttCount   int // messages per case of 9.7 and 9.8 (Autobahn: 1000)
	zipCount   int // messages per case of 12 and 13 (Autobahn: 1000)
	zipMaxSize int // the cases of 12 and 13 with larger messages are left out
	quietWait  time.Duration
}

var (
	cleanClose = closeExpect{byMe: true, codes: []int{1000}, clean: true}
	protoFail  = closeExpect{codes: []int{1002}}
	utf8Fail   = closeExpect{codes: []int{1007}, wrongEndpointFatal: true}
)

func rep(s string, n int) []byte { return bytes.Repeat([]byte(s), n)[:n*len(s)] }

// repLen is payload repeated to n bytes (Autobahn's payload_len).
func repLen(payload string, n int) []byte {
	return bytes.Repeat([]byte(payload), n/len(payload)+1)[:n]
}

// echoCase expects the message back, then closes cleanly (1.x, 6.x).
func echoCase(id, desc string, binary bool, p []byte, send func(f *fuzzer)) abCase {
	return abCase{id: id, desc: desc, play: func(f *fuzzer) {
		f.ok, f.close = []string{msgEvent(binary, p)}, cleanClose
		send(f)
		f.killAfter()
	}}
}

// failCase expects the client to fail the connection with close, after the
// events in ok (and, NON-STRICT, none of them when nonStrict is set).
func failCase(id, desc string, close closeExpect, ok []string, nonStrict bool, send func(f *fuzzer)) abCase {
	return abCase{id: id, desc: desc, play: func(f *fuzzer) {
		f.ok, f.close = ok, close
		if f.ok == nil {
			f.ok = []string{}
		}
		if nonStrict {
			f.nonStrict = []string{}
		}
		send(f)
		f.killAfter()
	}}
}

func framingCases() []abCase {
	var cs []abCase
	sizes := []int{0, 125, 126, 127, 128, 65535, 65536, 65536}
	for i, n := range sizes {
		chop := 0
		if i == 7 {
			chop = 997
		}
		for j, binary := range []bool{false, true} {
			op, p := ws.OpText, rep("*", n)
			if binary {
				op, p = ws.OpBinary, rep("\xfe", n)
			}
			id := fmt.Sprintf("1.%d.%d", j+1, i+1)
			kind := "text"
			if binary {
				kind = "binary"
			}
			desc := fmt.Sprintf("%s message of %d bytes (chop size %d), echoed", kind, n, chop)
			cs = append(cs, echoCase(id, desc, binary, p, func(f *fuzzer) { f.frame(op, true, 0, p, chop, false) }))
		}
	}
	return cs
}

func pingCases() []abCase {
	pong := func(id, desc string, p []byte, chop int) abCase {
		return abCase{id: id, desc: desc, play: func(f *fuzzer) {
			f.ok, f.close = []string{pongEvent(p)}, cleanClose
			f.frame(ws.OpPing, true, 0, p, chop, false)
			f.closeAfter()
		}}
	}
	tenPings := func(id string, chop int) abCase {
		return abCase{id: id, desc: fmt.Sprintf("10 pings with payload (chop size %d): a pong for each, in order", chop), play: func(f *fuzzer) {
			f.ok, f.close = nil, cleanClose
			for i := range 10 {
				p := fmt.Appendf(nil, "payload-%d", i)
				f.ok = append(f.ok, pongEvent(p))
				f.frame(ws.OpPing, true, 0, p, chop, false)
			}
			f.closeAfter()
		}}
	}
	return []abCase{
		pong("2.1", "ping without payload", []byte{}, 0),
		pong("2.2", "ping with a small text payload", []byte("Hello, world!"), 0),
		pong("2.3", "ping with a small binary payload", []byte("\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), 0),
		pong("2.4", "ping with a 125-byte payload", rep("\xfe", 125), 0),
		failCase("2.5", "ping with a 126-byte payload fails the connection", protoFail, nil, false,
			func(f *fuzzer) { f.send(ws.OpPing, rep("\xfe", 126)) }),
		pong("2.6", "ping with a 125-byte payload, chopped in 1-byte writes", rep("\xfe", 125), 1),
		{id: "2.7", desc: "unsolicited pong without payload, then close", play: func(f *fuzzer) {
			f.ok, f.close = []string{}, cleanClose
			f.send(ws.OpPong, nil)
			f.sendClose(1000, "")
			f.closeAfter()
		}},
		{id: "2.8", desc: "unsolicited pong with payload, then close", play: func(f *fuzzer) {
			f.ok, f.close = []string{}, cleanClose
			f.send(ws.OpPong, []byte("unsolicited pong payload"))
			f.sendClose(1000, "")
			f.closeAfter()
		}},
		{id: "2.9", desc: "unsolicited pong, then a ping", play: func(f *fuzzer) {
			f.ok, f.close = []string{pongEvent([]byte("ping payload"))}, cleanClose
			f.send(ws.OpPong, []byte("unsolicited pong payload"))
			f.send(ws.OpPing, []byte("ping payload"))
			f.closeAfter()
		}},
		tenPings("2.10", 0),
		tenPings("2.11", 1),
	}
}

const hello = "Hello, world!"

// echoThenFail sends a text message, then bad, then a ping: the message is echoed
// (NON-STRICT: not echoed), the connection failed with 1002, the ping not answered.
func echoThenFail(id, desc string, bad func(f *fuzzer), chop int, sync bool) abCase {
	return failCase(id, desc, protoFail, []string{msgEvent(false, []byte(hello))}, true, func(f *fuzzer) {
		f.frame(ws.OpText, true, 0, []byte(hello), chop, sync)
		bad(f)
		f.frame(ws.OpPing, true, 0, nil, chop, sync)
	})
}

func reservedBitCases() []abCase {
	return []abCase{
		failCase("3.1", "text message with RSV = 1", protoFail, nil, false,
			func(f *fuzzer) { f.frame(ws.OpText, true, 1, []byte(hello), 0, false) }),
		echoThenFail("3.2", "text message, then one with RSV = 2, then a ping",
			func(f *fuzzer) { f.frame(ws.OpText, true, 2, []byte(hello), 0, false) }, 0, false),
		echoThenFail("3.3", "as 3.2 with RSV = 3, each frame written on its own",
			func(f *fuzzer) { f.frame(ws.OpText, true, 3, []byte(hello), 0, true) }, 0, true),
		echoThenFail("3.4", "as 3.2 with RSV = 4, in 1-byte writes",
			func(f *fuzzer) { f.frame(ws.OpText, true, 4, []byte(hello), 1, false) }, 1, false),
		failCase("3.5", "binary message with RSV = 5", protoFail, nil, false,
			func(f *fuzzer) { f.frame(ws.OpBinary, true, 5, []byte("\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), 0, false) }),
		// Autobahn describes 3.6 as a ping; its case sends a binary frame, as here.
		failCase("3.6", "binary message with RSV = 6", protoFail, nil, false,
			func(f *fuzzer) { f.frame(ws.OpBinary, true, 6, []byte(hello), 0, false) }),
		failCase("3.7", "close with RSV = 7", protoFail, nil, false,
			func(f *fuzzer) { f.frame(ws.OpClose, true, 7, nil, 0, false) }),
	}
}

func opcodeCases() []abCase {
	var cs []abCase
	for i, group := range [][]byte{{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}} {
		kind := "non-control"
		if i == 1 {
			kind = "control"
		}
		for j, op := range group {
			id := fmt.Sprintf("4.%d.%d", i+1, j+1)
			code := ws.OpCode(op)
			switch j {
			case 0:
				cs = append(cs, failCase(id, fmt.Sprintf("reserved %s opcode %d", kind, op), protoFail, nil, false,
					func(f *fuzzer) { f.send(code, nil) }))
			case 1:
				cs = append(cs, failCase(id, fmt.Sprintf("reserved %s opcode %d with payload", kind, op), protoFail, nil, false,
					func(f *fuzzer) { f.send(code, []byte("reserved opcode payload")) }))
			case 2, 3:
				p := []byte(nil)
				if j == 3 {
					p = []byte(hello)
				}
				cs = append(cs, echoThenFail(id, fmt.Sprintf("text message, then reserved %s opcode %d, then a ping", kind, op),
					func(f *fuzzer) { f.send(code, p) }, 0, false))
			case 4:
				cs = append(cs, echoThenFail(id, fmt.Sprintf("as %s.3 with opcode %d, in 1-byte writes", id[:3], op),
					func(f *fuzzer) { f.frame(code, true, 0, []byte(hello), 1, false) }, 1, false))
			}
		}
	}
	return cs
}

func fragmentationCases() []abCase {
	frag := func(id, desc string, ok []string, send func(f *fuzzer)) abCase {
		return abCase{id: id, desc: desc, play: func(f *fuzzer) {
			f.ok, f.close = ok, cleanClose
			send(f)
			f.closeAfter()
		}}
	}
	twoFrags := msgEvent(false, []byte("fragment1fragment2"))
	ping := pongEvent([]byte("ping payload"))
	// fragments sends fragment1 and fragment2 of a text message, a ping between them
	// if withPing.
	fragments := func(chop int, sync, withPing bool) func(f *fuzzer) {
		return func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, []byte("fragment1"), chop, sync)
			if withPing {
				f.frame(ws.OpPing, true, 0, []byte("ping payload"), chop, sync)
			}
			f.frame(ws.OpContinuation, true, 0, []byte("fragment2"), chop, sync)
		}
	}
	badCont := func(id string, fin bool, chop int, sync bool) abCase {
		return failCase(id, fmt.Sprintf("continuation (FIN %v) with nothing to continue, then a text message (chop %d, sync %v)", fin, chop, sync),
			protoFail, nil, false, func(f *fuzzer) {
				f.frame(ws.OpContinuation, fin, 0, []byte("non-continuation payload"), chop, sync)
				f.frame(ws.OpText, true, 0, []byte(hello), chop, sync)
			})
	}
	pingsBetween := func(id string, sync bool) abCase {
		fr := []string{"fragment1", "fragment2", "fragment3", "fragment4", "fragment5"}
		ok := []string{pongEvent([]byte("pongme 1!")), pongEvent([]byte("pongme 2!")), msgEvent(false, []byte(strings.Join(fr, "")))}
		return frag(id, fmt.Sprintf("text message in 5 fragments with 2 pings between, a pause in the middle (sync %v)", sync), ok, func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, []byte(fr[0]), 0, sync)
			f.frame(ws.OpContinuation, false, 0, []byte(fr[1]), 0, sync)
			f.frame(ws.OpPing, true, 0, []byte("pongme 1!"), 0, sync)
			f.settled()
			f.frame(ws.OpContinuation, false, 0, []byte(fr[2]), 0, sync)
			f.frame(ws.OpContinuation, false, 0, []byte(fr[3]), 0, sync)
			f.frame(ws.OpPing, true, 0, []byte("pongme 2!"), 0, sync)
			f.frame(ws.OpContinuation, true, 0, []byte(fr[4]), 0, sync)
		})
	}
	return []abCase{
		failCase("5.1", "ping in 2 fragments", protoFail, nil, false, func(f *fuzzer) {
			f.frame(ws.OpPing, false, 0, []byte("fragment1"), 0, false)
			f.frame(ws.OpContinuation, true, 0, []byte("fragment2"), 0, false)
		}),
		failCase("5.2", "pong in 2 fragments", protoFail, nil, false, func(f *fuzzer) {
			f.frame(ws.OpPong, false, 0, []byte("fragment1"), 0, false)
			f.frame(ws.OpContinuation, true, 0, []byte("fragment2"), 0, false)
		}),
		frag("5.3", "text message in 2 fragments", []string{twoFrags}, fragments(0, false, false)),
		frag("5.4", "as 5.3, each frame written on its own", []string{twoFrags}, fragments(0, true, false)),
		frag("5.5", "as 5.3, in 1-byte writes", []string{twoFrags}, fragments(1, false, false)),
		frag("5.6", "text message in 2 fragments with a ping between", []string{ping, twoFrags}, fragments(0, false, true)),
		frag("5.7", "as 5.6, each frame written on its own", []string{ping, twoFrags}, fragments(0, true, true)),
		frag("5.8", "as 5.6, in 1-byte writes", []string{ping, twoFrags}, fragments(1, false, true)),
		badCont("5.9", true, 0, false),
		badCont("5.10", true, 0, true),
		badCont("5.11", true, 1, false),
		badCont("5.12", false, 0, false),
		badCont("5.13", false, 0, true),
		badCont("5.14", false, 1, false),
		failCase("5.15", "text message in 2 fragments, then a continuation with nothing to continue, then a text message, in one write",
			protoFail, []string{msgEvent(false, []byte("fragment1fragment2"))}, true, func(f *fuzzer) {
				f.frame(ws.OpText, false, 0, []byte("fragment1"), 0, false)
				f.frame(ws.OpContinuation, true, 0, []byte("fragment2"), 0, false)
				f.frame(ws.OpContinuation, false, 0, []byte("fragment3"), 0, false)
				f.frame(ws.OpText, true, 0, []byte("fragment4"), 0, false)
			}),
		failCase("5.16", "continuation, then a text message in 2 fragments, twice", protoFail, nil, false, func(f *fuzzer) {
			for range 2 {
				f.frame(ws.OpContinuation, false, 0, []byte("fragment1"), 0, false)
				f.frame(ws.OpText, false, 0, []byte("fragment2"), 0, false)
				f.frame(ws.OpContinuation, true, 0, []byte("fragment3"), 0, false)
			}
		}),
		failCase("5.17", "final continuation, then a text message in 2 fragments, twice", protoFail, nil, false, func(f *fuzzer) {
			for range 2 {
				f.frame(ws.OpContinuation, true, 0, []byte("fragment1"), 0, false)
				f.frame(ws.OpText, false, 0, []byte("fragment2"), 0, false)
				f.frame(ws.OpContinuation, true, 0, []byte("fragment3"), 0, false)
			}
		}),
		failCase("5.18", "text message in 2 fragments, both with the text opcode", protoFail, nil, false, func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, []byte("fragment1"), 0, false)
			f.frame(ws.OpText, true, 0, []byte("fragment2"), 0, false)
		}),
		pingsBetween("5.19", false),
		pingsBetween("5.20", true),
	}
}

// The UTF-8 payloads of case 6.4 and of 7.5.1: valid, then the invalid sequence
// (U+110000 encoded, or a surrogate), then valid again.
const (
	utf8Kosme  = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"
	utf8Bad    = "\xf4\x90\x80\x80"
	utf8Edited = "\x65\x64\x69\x74\x65\x64"
)

func utf8Cases(sc abScale) []abCase {
	text := func(id, desc, p string, fragSize int) abCase {
		return echoCase(id, desc, false, []byte(p), func(f *fuzzer) { f.message(false, []byte(p), fragSize) })
	}
	cs := []abCase{
		echoCase("6.1.1", "empty text message", false, []byte{}, func(f *fuzzer) { f.send(ws.OpText, nil) }),
		echoCase("6.1.2", "empty text message in 3 empty fragments", false, []byte{}, func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, nil, 0, false)
			f.frame(ws.OpContinuation, false, 0, nil, 0, false)
			f.frame(ws.OpContinuation, true, 0, nil, 0, false)
		}),
		echoCase("6.1.3", "text message in 3 fragments, the first and last empty", false, []byte("middle frame payload"), func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, nil, 0, false)
			f.frame(ws.OpContinuation, false, 0, []byte("middle frame payload"), 0, false)
			f.frame(ws.OpContinuation, true, 0, nil, 0, false)
		}),
		text("6.2.1", "valid UTF-8 in one fragment", "Hello-µ@ßöäüàá-UTF-8!!", 0),
		echoCase("6.2.2", "valid UTF-8 in 2 fragments split on a code point", false, []byte("Hello-µ@ßöäüàá-UTF-8!!"), func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, []byte("Hello-µ@ßöä"), 0, false)
			f.frame(ws.OpContinuation, true, 0, []byte("üàá-UTF-8!!"), 0, false)
		}),
		text("6.2.3", "valid UTF-8 in 1-byte fragments", "Hello-µ@ßöäüàá-UTF-8!!", 1),
		text("6.2.4", "valid UTF-8 (κόσμε) in 1-byte fragments", utf8Kosme, 1),
	}
	invalid := []byte(utf8Kosme + "\xed\xa0\x80" + utf8Edited)
	cs = append(cs,
		failCase("6.3.1", "invalid UTF-8 (a surrogate) in one fragment", utf8Fail, nil, false,
			func(f *fuzzer) { f.message(false, invalid, 0) }),
		failCase("6.3.2", "invalid UTF-8 (a surrogate) in 1-byte fragments", utf8Fail, nil, false,
			func(f *fuzzer) { f.message(false, invalid, 1) }),
	)
	whole := utf8Kosme + utf8Bad + utf8Edited
	failFast := func(id, desc string, parts [3]string, inFrame bool) abCase {
		return abCase{id: id, desc: desc, play: func(f *fuzzer) {
			f.ok, f.nonStrict, f.close = []string{"timeout A"}, []string{"timeout A", "timeout B"}, utf8Fail
			wait := func(mark string) bool { return f.pause(mark) }
			if inFrame {
				wait = func(mark string) bool { return f.quiet(mark, sc.quietWait) }
				f.raw(hdr(bFin|opText, uint64(len(whole))))
				f.raw([]byte(parts[0]))
			} else {
				f.frame(ws.OpText, false, 0, []byte(parts[0]), 0, false)
			}
			if wait("A") {
				if inFrame {
					f.raw([]byte(parts[1]))
				} else {
					f.frame(ws.OpContinuation, false, 0, []byte(parts[1]), 0, false)
				}
				if wait("B") {
					if inFrame {
						f.raw([]byte(parts[2]))
					} else {
						f.frame(ws.OpContinuation, true, 0, []byte(parts[2]), 0, false)
					}
				}
			}
			f.killAfter()
		}}
	}
	cs = append(cs,
		failFast("6.4.1", "fail fast: 3 fragments, the second makes the text invalid", [3]string{utf8Kosme, utf8Bad, utf8Edited}, false),
		failFast("6.4.2", "fail fast: 3 fragments, the second is the one invalid byte", [3]string{whole[:12], whole[12:13], whole[13:]}, false),
		failFast("6.4.3", "fail fast: one frame whose payload arrives in 3 parts, the second invalid", [3]string{utf8Kosme, utf8Bad, utf8Edited}, true),
		failFast("6.4.4", "fail fast: one frame whose payload arrives in 3 parts, the second the one invalid byte", [3]string{whole[:12], whole[12:13], whole[13:]}, true),
	)
	for i, g := range utf8Sequences() {
		for j, s := range g.seqs {
			id := fmt.Sprintf("6.%d.%d", i+5, j+1)
			p := []byte(s.p)
			if s.valid {
				cs = append(cs, echoCase(id, g.name+" (valid)", false, p, func(f *fuzzer) { f.message(false, p, 0) }))
			} else {
				cs = append(cs, failCase(id, g.name+" (invalid)", utf8Fail, nil, false, func(f *fuzzer) { f.message(false, p, 0) }))
			}
		}
	}
	return cs
}

func closeCases() []abCase {
	const payload = "Hello World!"
	closing := func(id, desc string, close closeExpect, send func(f *fuzzer)) abCase {
		return abCase{id: id, desc: desc, play: func(f *fuzzer) {
			f.ok, f.close, f.suppressClose = []string{}, close, true
			send(f)
			f.killAfter()
		}}
	}
	badClose := closeExpect{byMe: true, codes: []int{1002}}
	cs := []abCase{
		{id: "7.1.1", desc: "text message, echoed, then the fuzzer closes", play: func(f *fuzzer) {
			f.ok, f.close = []string{msgEvent(false, []byte(payload))}, cleanClose
			f.send(ws.OpText, []byte(payload))
			f.killAfter()
		}},
		closing("7.1.2", "two close frames", cleanClose, func(f *fuzzer) {
			f.sendClose(1000, "")
			f.frame(ws.OpClose, true, 0, nil, 0, true)
		}),
		closing("7.1.3", "a ping after the close frame: no pong", cleanClose, func(f *fuzzer) {
			f.sendClose(1000, "")
			f.send(ws.OpPing, nil)
		}),
		closing("7.1.4", "a text message after the close frame: no echo", cleanClose, func(f *fuzzer) {
			f.sendClose(1000, "")
			f.send(ws.OpText, []byte(payload))
		}),
		closing("7.1.5", "a close frame between the fragments of a message", cleanClose, func(f *fuzzer) {
			f.frame(ws.OpText, false, 0, []byte("fragment1"), 0, false)
			f.sendClose(1000, "")
			f.frame(ws.OpContinuation, true, 0, []byte("fragment2"), 0, false)
		}),
		{id: "7.1.6", desc: "a 256 KiB message and a small one, then close, then a ping, back to back",
			informational: "RFC 6455 leaves open whether the echoes are sent once the close frame is processed",
			play: func(f *fuzzer) {
				f.ok, f.nonStrict, f.close, f.suppressClose = []string{msgEvent(false, []byte(payload))}, []string{}, cleanClose, true
				f.send(ws.OpText, repLen("BAsd7&jh23", 256<<10))
				f.send(ws.OpText, []byte(payload))
				f.sendClose(1000, "")
				f.send(ws.OpPing, nil)
				f.killAfter()
			}},
		closing("7.3.1", "close frame without payload", cleanClose, func(f *fuzzer) { f.sendCloseFrame(nil) }),
		closing("7.3.2", "close frame with a 1-byte payload", badClose, func(f *fuzzer) { f.sendCloseFrame([]byte("a")) }),
		closing("7.3.3", "close frame with a code and no reason", cleanClose, func(f *fuzzer) { f.sendClose(1000, "") }),
		closing("7.3.4", "close frame with a code and a reason", cleanClose, func(f *fuzzer) { f.sendClose(1000, payload) }),
		closing("7.3.5", "close frame with a 123-byte reason", cleanClose, func(f *fuzzer) { f.sendClose(1000, strings.Repeat("*", 123)) }),
		closing("7.3.6", "close frame with a 124-byte reason (125-byte control frame payload exceeded)", badClose,
			func(f *fuzzer) { f.sendCloseFrame(closePayload(1000, strings.Repeat("*", 124))) }),
		closing("7.5.1", "close frame with an invalid UTF-8 reason", closeExpect{byMe: true, codes: []int{1002, 1007}},
			func(f *fuzzer) { f.sendCloseFrame(closePayload(1000, utf8Kosme+"\xed\xa0\x80"+utf8Edited)) }),
	}
	for i, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999} {
		cs = append(cs, closing(fmt.Sprintf("7.7.%d", i+1), fmt.Sprintf("close frame with the valid code %d", code),
			closeExpect{byMe: true, codes: []int{1000, code}, clean: true}, func(f *fuzzer) { f.sendCloseFrame(closePayload(code, "")) }))
	}
	for i, code := range []int{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999} {
		cs = append(cs, closing(fmt.Sprintf("7.9.%d", i+1), fmt.Sprintf("close frame with the invalid code %d", code),
			badClose, func(f *fuzzer) { f.sendCloseFrame(closePayload(code, "")) }))
	}
	for i, code := range []int{5000, 65535} {
		c := closing(fmt.Sprintf("7.13.%d", i+1), fmt.Sprintf("close frame with the code %d, outside the ranges RFC 6455 defines", code),
			closeExpect{byMe: true, codes: []int{1000, code, 1002}}, func(f *fuzzer) { f.sendCloseFrame(closePayload(code, "")) })
		c.informational = "RFC 6455 does not say what a close code of 5000 and above means"
		cs = append(cs, c)
	}
	return cs
}

// bigCase sends one message of n bytes (in fragments of frag, or in writes of chop
// bytes) and expects it back whole, then closes (9.1 to 9.6).
func bigCase(id string, binary bool, n, frag, chop int) abCase {
	kind := "text"
	if binary {
		kind = "binary"
	}
	desc := fmt.Sprintf("%s message of %d bytes", kind, n)
	switch {
	case frag > 0:
		desc += fmt.Sprintf(" in fragments of %d", frag)
	case chop > 0:
		desc += fmt.Sprintf(" in writes of %d", chop)
	}
	return abCase{id: id, desc: desc, play: func(f *fuzzer) {
		f.close = cleanClose
		p := repLen("BAsd7&jh23", n)
		if binary {
			p = repLen("\x00\xfe\x23\xfa\xf0", n)
		}
		if frag > 0 && binary {
			p = rep("\xfe", n)
		} else if frag > 0 {
			p = rep("*", n)
		}
		f.behavior, f.result = "FAILED", "no echo"
		f.onMessage = func(b bool, got []byte) {
			if b == binary && bytes.Equal(got, p) {
				f.behavior, f.result = "OK", ""
			} else {
				f.result = fmt.Sprintf("echo of %d bytes (binary %v) differs", len(got), b)
			}
			f.sendClose(1000, "")
		}
		op := ws.OpText
		if binary {
			op = ws.OpBinary
		}
		if frag > 0 {
			f.message(binary, p, frag)
		} else {
			f.frame(op, true, 0, p, chop, false)
		}
		f.killAfter()
	}}
}

func limitCases(sc abScale) []abCase {
	var cs []abCase
	for g, binary := range []bool{false, true} {
		for i, n := range []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20} {
			cs = append(cs, bigCase(fmt.Sprintf("9.%d.%d", g+1, i+1), binary, n/sc.sizeDiv, 0, 0))
		}
	}
	for g, binary := range []bool{false, true} {
		for i, frag := range []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20} {
			cs = append(cs, bigCase(fmt.Sprintf("9.%d.%d", g+3, i+1), binary, (4<<20)/sc.sizeDiv, max(frag/sc.sizeDiv, 16), 0))
		}
	}
	for g, binary := range []bool{false, true} {
		for i, chop := range []int{64, 128, 256, 512, 1024, 2048} {
			cs = append(cs, bigCase(fmt.Sprintf("9.%d.%d", g+5, i+1), binary, (1<<20)/sc.sizeDiv, 0, chop))
		}
	}
	for g, binary := range []bool{false, true} {
		for i, n := range []int{0, 16, 64, 256, 1024, 4096} {
			cs = append(cs, roundTrips(fmt.Sprintf("9.%d.%d", g+7, i+1), binary, n, sc.rttCount))
		}
	}
	return cs
}

// roundTrips sends count messages of n bytes one after the other, each once the
// last came back (9.7, 9.8).
func roundTrips(id string, binary bool, n, count int) abCase {
	return abCase{id: id, desc: fmt.Sprintf("%d round trips of %d-byte messages (binary %v)", count, n, binary), play: func(f *fuzzer) {
		f.close = cleanClose
		p := rep("*", n)
		if binary {
			p = rep("\xfe", n)
		}
		sent := 0
		sendOne := func() { f.message(binary, p, 0); sent++ }
		f.behavior, f.result = "FAILED", "not all echoes came back"
		f.onMessage = func(b bool, got []byte) {
			switch {
			case b != binary || !bytes.Equal(got, p):
				f.result = fmt.Sprintf("echo %d differs", sent)
				f.sendClose(1000, "")
			case sent < count:
				sendOne()
			default:
				f.behavior, f.result = "OK", ""
				f.sendClose(1000, "")
			}
		}
		sendOne()
		f.killAfter()
	}}
}

func autoFragmentationCases() []abCase {
	p := rep("*", 65536)
	return []abCase{{id: "10.1.1", desc: "text message of 64 KiB sent in 1300-byte fragments, echoed", play: func(f *fuzzer) {
		f.ok, f.close = []string{msgEvent(false, p)}, cleanClose
		f.message(false, p, 1300)
		f.killAfter()
		if want := [2]int{len(p) / 1300, 1}; f.txFrames != want {
			f.behavior, f.result = "FAILED", fmt.Sprintf("frames sent %v, want %v", f.txFrames, want)
		}
	}}}
}

// compressionCase is 12.x and 13.x: count messages of n bytes (characters for
// text), taken one after the other from data, each sent once the last came back
// identical, in fragments of frag bytes of compressed data if frag > 0.
func compressionCase(id, ext string, d abData, n, count, frag int) abCase {
	return abCase{id: id, ext: ext, desc: fmt.Sprintf("%s, %d messages of %d, fragment size %d, %s", d.name, count, n, frag, ext), play: func(f *fuzzer) {
		f.close = cleanClose
		if f.flate == nil {
			f.behavior, f.result = "UNIMPLEMENTED", "permessage-deflate was not offered"
			f.sendClose(1000, "")
			f.killAfter()
			return
		}
		next := d.slicer(n)
		var want []byte
		sent := 0
		sendOne := func() {
			want = next()
			f.message(d.binary, want, frag)
			sent++
		}
		f.behavior, f.result = "FAILED", "not all echoes came back"
		f.onMessage = func(b bool, got []byte) {
			switch {
			case b != d.binary || !bytes.Equal(got, want):
				f.result = fmt.Sprintf("echo %d differs (%d bytes, binary %v; want %d bytes)", sent, len(got), b, len(want))
				f.sendClose(1000, "")
			case sent < count:
				sendOne()
			default:
				f.behavior, f.result = "OK", ""
				f.sendClose(1000, "")
			}
		}
		sendOne()
		f.killAfter()
	}}
}

// abMessageSizes are Autobahn's message sizes and fragment sizes for 12 and 13.
var abMessageSizes = [][2]int{
	{16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0}, {32768, 0}, {65536, 0}, {131072, 0},
	{8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256}, {131072, 1024}, {131072, 4096}, {131072, 32768},
}

// abDeflateParams are the permessage-deflate responses of 13.1 to 13.7 to the
// client's offer (permessage-deflate; client_max_window_bits): Autobahn's seven
// server accept functions, the last of which takes its first choice, 13.5's.
// 13.8 and 13.9 are this suite's own: the server's parameters, which the client
// must accept though it did not offer them (RFC 7692 sections 7.1.1.1 and 7.1.2.1,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.1.1.1,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.1.2.1).
var abDeflateParams = []string{
	"permessage-deflate",
	"permessage-deflate; client_no_context_takeover",
	"permessage-deflate; client_max_window_bits=9",
	"permessage-deflate; client_max_window_bits=15",
	"permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
	"permessage-deflate; client_no_context_takeover; client_max_window_bits=15",
	"permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
	"permessage-deflate; server_no_context_takeover",
	"permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12",
}

func compressionCases(sc abScale) []abCase {
	var cs []abCase
	data := abDataSets()
	for g, d := range data {
		for i, s := range abMessageSizes {
			if s[0] <= sc.zipMaxSize {
				cs = append(cs, compressionCase(fmt.Sprintf("12.%d.%d", g+1, i+1), abDeflateParams[0], d, s[0], sc.zipCount, s[1]))
			}
		}
	}
	for g, ext := range abDeflateParams {
		for i, s := range abMessageSizes {
			if s[0] <= sc.zipMaxSize {
				cs = append(cs, compressionCase(fmt.Sprintf("13.%d.%d", g+1, i+1), ext, data[0], s[0], sc.zipCount, s[1]))
			}
		}
	}
	return cs
}

func autobahnCases(sc abScale) []abCase {
	var cs []abCase
	for _, part := range [][]abCase{framingCases(), pingCases(), reservedBitCases(), opcodeCases(), fragmentationCases(),
		utf8Cases(sc), closeCases(), limitCases(sc), autoFragmentationCases(), compressionCases(sc)} {
		cs = append(cs, part...)
	}
	return cs
}
