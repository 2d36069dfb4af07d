package wptserver

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// wsHandlers maps a resource path to the Go counterpart of
// websockets/handlers/<name>_wsh.py, which pywebsocket3 serves at /<name>.
// HANDLERS.md describes each one.
var wsHandlers = map[string]*wsHandler{
	"/basic_auth":                     {extraHandshake: basicAuthHandshake},
	"/delayed-passive-close":          {transfer: receiveOne, passiveClose: delayedPassiveClose},
	"/echo-cookie":                    {extraHandshake: echoCookieHandshake, transfer: echoCookieTransfer},
	"/echo-query_v13":                 {transfer: echoQueryV13},
	"/echo-query":                     {transfer: echoQuery},
	"/echo_close_data":                {transfer: receiveUntilGoodbye},
	"/echo_exit":                      {transfer: receiveUntilGoodbye},
	"/echo_raw":                       {transfer: echoRaw},
	"/echo":                           {extraHandshake: echoHandshake, transfer: echoTransfer, passiveClose: echoPassiveClose},
	"/empty-message":                  {transfer: emptyMessage},
	"/handshake_no_extensions":        {extraHandshake: noExtensions},
	"/handshake_no_protocol":          {extraHandshake: noProtocol},
	"/handshake_protocol":             {extraHandshake: foobarProtocol},
	"/handshake_sleep_2":              {extraHandshake: sleepHandshake(2 * time.Second)},
	"/invalid":                        {extraHandshake: invalidHandshake},
	"/msg_channel":                    {transfer: msgChannelTransfer, passiveClose: msgChannelPassiveClose},
	"/origin":                         {transfer: sendOrigin},
	"/passive-close-abort":            {transfer: receiveUntilClose, passiveClose: abortPassiveClose},
	"/protocol_array":                 {extraHandshake: protocolArrayHandshake, transfer: sendProtocol},
	"/protocol":                       {extraHandshake: protocolHandshake, transfer: sendProtocol},
	"/receive-backpressure":           {extraHandshake: noExtensions, transfer: receiveBackpressure},
	"/receive-many-with-backpressure": {extraHandshake: noExtensions, transfer: receiveManyWithBackpressure},
	"/referrer":                       {transfer: sendReferrer},
	"/remote-close":                   {transfer: remoteClose},
	"/send-backpressure":              {extraHandshake: noExtensions, transfer: sendBackpressure},
	"/set-cookie-secure":              {extraHandshake: setCookieHandshake("=test; Secure; Path=/", false), transfer: receiveOne},
	"/set-cookie_http":                {extraHandshake: setCookieHandshake("=test; Path=/; HttpOnly", true), transfer: receiveOne},
	"/set-cookie":                     {extraHandshake: setCookieHandshake("=test; Path=/", false), transfer: receiveOne},
	"/set-cookies-samesite":           {extraHandshake: setCookiesSameSite, transfer: receiveOne},
	"/simple_handshake":               {extraHandshake: simpleHandshake},
	"/sleep_10_v13":                   {extraHandshake: sleepHandshake(10 * time.Second), transfer: sleep10Transfer},
	"/stash_responder_blocking":       {transfer: stashResponderBlocking},
	"/stash_responder":                {transfer: stashResponder},
	"/wrong_accept_key":               {extraHandshake: wrongAcceptKeyHandshake, transfer: sendTest},
}

const goodbye = "Goodbye"

// errHandler stands for a Python exception a handler does not catch: the
// connection is dropped (a 403 during the handshake).
func errHandler(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// queryOf returns the part of a URI after the first "?" and whether
// there is one.
func queryOf(uri string) (string, bool) {
	_, q, ok := strings.Cut(uri, "?")
	return q, ok
}

// urlsplitQuery is urllib.parse.urlsplit(uri).query.
func urlsplitQuery(uri string) string {
	u, _, _ := strings.Cut(uri, "#")
	_, q, _ := strings.Cut(u, "?")
	return q
}

// parseQS is urllib.parse.parse_qsl with its defaults: fields split on
// "&", blank values dropped, "+" is a space, escapes decoded as UTF-8.
func parseQS(q string) [][2]string {
	var out [][2]string
	for _, field := range strings.Split(q, "&") {
		if field == "" {
			continue
		}
		name, value, _ := strings.Cut(field, "=")
		if value == "" {
			continue
		}
		name = strings.ToValidUTF8(percentDecodePlus(name), "\uFFFD")
		value = strings.ToValidUTF8(percentDecodePlus(value), "\uFFFD")
		out = append(out, [2]string{name, value})
	}
	return out
}

// lastQuery is dict(parse_qsl(q))[name]: the last value wins.
func lastQuery(q [][2]string, name string) (string, bool) {
	v, ok := "", false
	for _, kv := range q {
		if kv[0] == name {
			v, ok = kv[1], true
		}
	}
	return v, ok
}

// basic_auth_wsh.py: refuse with a raw 401 unless the credentials are
// foo:bar.
func basicAuthHandshake(r *wsRequest) error {
	if a, ok := r.get("Authorization"); ok && a == "Basic Zm9vOmJhcg==" {
		return nil
	}
	if err := r.writeRaw([]byte("HTTP/1.1 401 Unauthorized\r\n" +
		"Content-Length: 0\r\n" +
		"WWW-Authenticate: Basic realm=\"camelot\"\r\n" +
		"\r\n")); err != nil {
		return err
	}
	return errAbortedByUser
}

// receiveOne receives one message (or the close) and returns.
func receiveOne(r *wsRequest) error {
	_, _, err := r.receive()
	return err
}

// echoPassiveClose answers a close with the client's code and reason, or
// with an empty close frame when the client's had no code.
func echoPassiveClose(r *wsRequest) (int, string, error) {
	code := r.closeCode
	if code == closeNoStatus {
		code = 0
	}
	return code, r.closeReason, nil
}

// delayed-passive-close_wsh.py: echo the close after a second.
func delayedPassiveClose(r *wsRequest) (int, string, error) {
	code, reason, _ := echoPassiveClose(r)
	if err := r.sleep(time.Second); err != nil {
		return 0, "", err
	}
	return code, reason, nil
}

// echo-cookie_wsh.py: send the Cookie request header, or "(none)".
func echoCookieHandshake(r *wsRequest) error {
	if c, ok := r.get("Cookie"); ok {
		r.state = c
	}
	return nil
}

func echoCookieTransfer(r *wsRequest) error {
	if c, ok := r.state.(string); ok {
		return r.sendText(c)
	}
	return r.sendText("(none)")
}

// echo-query_v13_wsh.py: send the query up to any second "?".
func echoQueryV13(r *wsRequest) error {
	parts := strings.Split(r.uri, "?")
	if len(parts) < 2 {
		return errHandler("no query in %q", r.uri)
	}
	return r.sendText(parts[1])
}

// echo-query_wsh.py: send everything after the first "?".
func echoQuery(r *wsRequest) error {
	q, ok := queryOf(r.uri)
	if !ok {
		return errHandler("no query in %q", r.uri)
	}
	return r.sendText(q)
}

// echo_close_data_wsh.py and echo_exit_wsh.py: receive until the close or
// a "Goodbye" text message, sending nothing.
func receiveUntilGoodbye(r *wsRequest) error {
	for {
		m, ok, err := r.receive()
		if err != nil || !ok {
			return err
		}
		if !m.binary && m.text() == goodbye {
			return nil
		}
	}
}

// echo_raw_wsh.py: write each binary message's bytes to the connection as
// they are (so the client receives whatever frames they encode); a binary
// "exit" ends the handler. A text message makes the handler fail (it
// writes a str to a byte stream), which drops the connection.
func echoRaw(r *wsRequest) error {
	for {
		m, ok, err := r.receive()
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if !m.binary {
			return errHandler("write() argument must be bytes, not str")
		}
		if string(m.data) == "exit" {
			return nil
		}
		if err := r.writeRaw(m.data); err != nil {
			return err
		}
	}
}

// echo_wsh.py: accept subprotocol "echo" when offered; echo every message
// with its type until the close or "Goodbye".
func echoHandshake(r *wsRequest) error {
	for _, p := range r.requestedProtocols {
		if p == "echo" {
			r.protocol, r.hasProtocol = "echo", true
		}
	}
	return nil
}

func echoTransfer(r *wsRequest) error {
	for {
		m, ok, err := r.receive()
		if err != nil || !ok {
			return err
		}
		if err := r.send(m.data, m.binary); err != nil {
			return err
		}
		if !m.binary && m.text() == goodbye {
			return nil
		}
	}
}

// empty-message_wsh.py: "pass" if the first message is an empty text
// message, else "fail".
func emptyMessage(r *wsRequest) error {
	m, ok, err := r.receive()
	if err != nil {
		return err
	}
	if ok && !m.binary && len(m.data) == 0 {
		return r.sendText("pass")
	}
	return r.sendText("fail")
}

// handshake_no_extensions_wsh.py and the backpressure handlers: decline
// every extension.
func noExtensions(r *wsRequest) error {
	r.extensions = nil
	return nil
}

// handshake_no_protocol_wsh.py: behave as if no subprotocol was offered,
// so none is selected.
func noProtocol(r *wsRequest) error {
	r.requestedProtocols = nil
	return nil
}

// handshake_protocol_wsh.py: always select "foobar" (a 400 when the client
// offered none).
func foobarProtocol(r *wsRequest) error {
	r.protocol, r.hasProtocol = "foobar", true
	return nil
}

// handshake_sleep_2_wsh.py, sleep_10_v13_wsh.py: delay the handshake.
func sleepHandshake(d time.Duration) func(*wsRequest) error {
	return func(r *wsRequest) error { return r.sleep(d) }
}

// invalid_wsh.py: write a bogus status line before the real handshake
// response.
func invalidHandshake(r *wsRequest) error {
	return r.writeRaw([]byte("FOO BAR BAZ\r\n\r\n"))
}

// origin_wsh.py: send the Origin request header.
func sendOrigin(r *wsRequest) error {
	if !r.hasOrigin {
		return errHandler("no Origin header to send")
	}
	return r.sendText(r.origin)
}

// passive-close-abort_wsh.py: wait for the close, then drop the
// connection instead of answering it.
func receiveUntilClose(r *wsRequest) error {
	for {
		_, ok, err := r.receive()
		if err != nil || !ok {
			return err
		}
	}
}

func abortPassiveClose(*wsRequest) (int, string, error) {
	return 0, "", errAbortedByUser
}

// protocol_array_wsh.py: select the first comma-separated entry of the
// Sec-WebSocket-Protocol header and send it.
func protocolArrayHandshake(r *wsRequest) error {
	line, ok := r.get("Sec-WebSocket-Protocol")
	if !ok {
		return errHandler("no Sec-WebSocket-Protocol header")
	}
	r.protocol, _, _ = strings.Cut(line, ",")
	r.hasProtocol = true
	return nil
}

// protocol_wsh.py: select the whole Sec-WebSocket-Protocol header value
// and send it.
func protocolHandshake(r *wsRequest) error {
	r.protocol, r.hasProtocol = r.get("Sec-WebSocket-Protocol")
	return nil
}

func sendProtocol(r *wsRequest) error {
	if !r.hasProtocol {
		return errHandler("no subprotocol to send")
	}
	return r.sendText(r.protocol)
}

// receive-backpressure_wsh.py: let the client's data pile up for two
// seconds, then read one message.
func receiveBackpressure(r *wsRequest) error {
	if err := r.sleep(2 * time.Second); err != nil {
		return err
	}
	return receiveOne(r)
}

// receive-many-with-backpressure_wsh.py: 100 ms before each read; answer
// each message with its length (characters for text, bytes for binary).
func receiveManyWithBackpressure(r *wsRequest) error {
	for {
		if err := r.sleep(100 * time.Millisecond); err != nil {
			return err
		}
		m, ok, err := r.receive()
		if err != nil || !ok {
			return err
		}
		n := len(m.data)
		if !m.binary {
			n = utf8.RuneCount(m.data)
		}
		if err := r.sendText(strconv.Itoa(n)); err != nil {
			return err
		}
	}
}

// referrer_wsh.py: send the Referer request header.
func sendReferrer(r *wsRequest) error {
	if v, ok := r.get("Referer"); ok {
		return r.sendText(v)
	}
	return r.sendText("MISSING AS PER FETCH")
}

// remote-close_wsh.py: close from the server with ?code= and ?reason=
// (empty close frame without code), or with ?abrupt=1 send a ping and
// drop the connection.
func remoteClose(r *wsRequest) error {
	q := parseQS(urlsplitQuery(r.uri))
	if _, ok := lastQuery(q, "abrupt"); ok {
		if err := r.ping([]byte("ping")); err != nil {
			return err
		}
		return errAbortedByUser
	}
	code, reason := 0, ""
	if c, ok := firstQuery(q, "code"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil {
			return errHandler("invalid code %q", c)
		}
		if n == 0 {
			// Code 0 is a real (out of range) code, not "none".
			return wsErr(errBadOperation, "status code is out of range")
		}
		code = n
		reason, _ = firstQuery(q, "reason")
	}
	return r.closeConnection(code, reason, true)
}

// send-backpressure_wsh.py: an empty binary message, sixteen 1 MiB binary
// messages of spaces, then the seconds that took as text.
func sendBackpressure(r *wsRequest) error {
	if err := r.send(nil, true); err != nil {
		return err
	}
	start := time.Now()
	msg := make([]byte, 1<<20)
	for i := range msg {
		msg[i] = ' '
	}
	for range 16 {
		if err := r.send(msg, true); err != nil {
			return err
		}
	}
	return r.sendText(pyFloat(time.Since(start).Seconds()))
}

// set-cookie*_wsh.py: a Set-Cookie response header "ws_test_<query>"
// plus attrs; set-cookie_http also appends, after CRLF, a
// Sec-WebSocket-Origin header line.
func setCookieHandshake(attrs string, withOrigin bool) func(*wsRequest) error {
	return func(r *wsRequest) error {
		v := "ws_test_" + urlsplitQuery(r.uri) + attrs
		if withOrigin {
			if !r.hasOrigin {
				return errHandler("no Origin header")
			}
			v += "\r\nSec-WebSocket-Origin: " + r.origin
		}
		r.extraHeaders = append(r.extraHeaders, [2]string{"Set-Cookie", v})
		return nil
	}
}

// set-cookies-samesite_wsh.py: four cookies, one per SameSite value, with
// ?value= (default 1), expired when the query contains "clear".
func setCookiesSameSite(r *wsRequest) error {
	q := urlsplitQuery(r.uri)
	maxAge := ""
	if strings.Contains(q, "clear") {
		maxAge = "; Max-Age=0"
	}
	value := "1"
	if strings.Contains(q, "value") {
		v, ok := firstQuery(parseQS(q), "value")
		if !ok {
			return errHandler("no value parameter")
		}
		value = v
	}
	for _, c := range []string{
		"samesite-unspecified=" + value + "; Path=/" + maxAge,
		"samesite-lax=" + value + "; Path=/; SameSite=Lax" + maxAge,
		"samesite-strict=" + value + "; Path=/; SameSite=Strict" + maxAge,
		"samesite-none=" + value + "; Path=/; SameSite=None; Secure" + maxAge,
	} {
		r.extraHeaders = append(r.extraHeaders, [2]string{"Set-Cookie", c})
	}
	return nil
}

// simple_handshake_wsh.py: write a hand-made 101 response and a close
// frame (1001 "PASS") in one write, read the client's masked close frame,
// then drop the connection.
func simpleHandshake(r *wsRequest) error {
	if !r.hasOrigin {
		return errHandler("no Origin header")
	}
	key, _ := r.get("Sec-WebSocket-Key")
	body := make([]byte, 2, 6)
	binary.BigEndian.PutUint16(body, closeGoingAway)
	body = append(body, "PASS"...)
	frame := append([]byte{0x88, byte(len(body))}, body...)
	msg := "HTTP/1.1 101 Switching Protocols:\r\n" +
		"Connection: Upgrade\r\n" +
		"Upgrade: WebSocket\r\n" +
		"Set-Cookie: ws_test=test\r\n" +
		"Sec-WebSocket-Origin: " + r.origin + "\r\n" +
		"Sec-WebSocket-Accept: " + computeAccept(key) + "\r\n\r\n"
	if err := r.writeRaw(append([]byte(msg), frame...)); err != nil {
		return err
	}
	if _, err := r.readRaw(len(frame) + 4); err != nil {
		return err
	}
	return errAbortedByUser
}

// sleep_10_v13_wsh.py (after its 10 s handshake delay): echo text until
// "Goodbye".
func sleep10Transfer(r *wsRequest) error {
	for {
		m, ok, err := r.receive()
		if err != nil {
			return err
		}
		if ok && !m.binary && m.text() == goodbye {
			return nil
		}
		if !ok {
			return wsErr(errBadOperation, "send after the closing handshake")
		}
		if m.binary {
			return errHandler("cannot send bytes as a text message")
		}
		if err := r.send(m.data, false); err != nil {
			return err
		}
	}
}

// wrong_accept_key_wsh.py: write a 101 response with a wrong
// Sec-WebSocket-Accept before the real one, then send "test".
func wrongAcceptKeyHandshake(r *wsRequest) error {
	if !r.hasOrigin {
		return errHandler("no Origin header")
	}
	return r.writeRaw([]byte("HTTP/1.1 101 Switching Protocols:\r\n" +
		"Connection: Upgrade\r\n" +
		"Upgrade: WebSocket\r\n" +
		"Sec-WebSocket-Origin: " + r.origin + "\r\n" +
		"Sec-WebSocket-Accept: thisisawrongacceptkey\r\n\r\n"))
}

func sendTest(r *wsRequest) error { return r.sendText("test") }

// stash_responder_wsh.py: on the text message "echo", run the stash
// action of the query (put, purge or take; key, value and path, path
// defaulting to the handler's) and answer with JSON.
func stashResponder(r *wsRequest) error {
	for {
		m, ok, err := r.receive()
		if err != nil {
			return err
		}
		if !ok || m.binary || m.text() != "echo" {
			continue
		}
		parts := strings.Split(r.uri, "?")
		if len(parts) < 2 {
			return errHandler("no query in %q", r.uri)
		}
		get := parseQS(parts[1])
		path, ok := lastQuery(get, "path")
		if !ok {
			path = parts[0]
		}
		key, ok := lastQuery(get, "key")
		if !ok {
			return errHandler("no key parameter")
		}
		action, ok := lastQuery(get, "action")
		if !ok {
			return errHandler("no action parameter")
		}
		var resp pyObject
		switch action {
		case "put":
			value, ok := lastQuery(get, "value")
			if !ok {
				return errHandler("no value parameter")
			}
			if _, err := r.srv.stash.take(path, key); err != nil {
				return err
			}
			if err := r.srv.stash.put(path, key, value); err != nil {
				return err
			}
			resp = pyObject{{"status", "success"}, {"result", key}}
		case "purge":
			v, err := r.srv.stash.take(path, key)
			if err != nil {
				return err
			}
			resp = pyObject{{"status", "success"}, {"result", v}}
		case "take":
			v, err := r.srv.stash.take(path, key)
			if err != nil {
				return err
			}
			status := "blocked"
			if v == nil {
				status = "allowed"
			}
			resp = pyObject{{"status", status}, {"result", v}}
		default:
			return errHandler("unknown action %q", action)
		}
		data, err := pyJSONEncode(resp)
		if err != nil {
			return err
		}
		return r.send(data, false)
	}
}

// stash_responder_blocking_wsh.py: one JSON request {"action", "key",
// "value"}: "set" stores the value, "get" waits until there is a value
// and takes it; the answer is {} or {"value": ...}.
func stashResponderBlocking(r *wsRequest) error {
	const path = "/stash_responder_blocking"
	m, ok, err := r.receive()
	if err != nil {
		return err
	}
	if !ok {
		return errHandler("the JSON object must be str, bytes or bytearray, not NoneType")
	}
	v, err := pyJSONDecode(m.data)
	if err != nil {
		return err
	}
	query, isObj := v.(pyObject)
	if !isObj {
		return errHandler("request is not a JSON object")
	}
	action, ok1 := query.get("action")
	keyV, ok2 := query.get("key")
	if !ok1 || !ok2 {
		return errHandler("request lacks action or key")
	}
	key, ok := keyV.(string)
	resp := pyObject{}
	switch action {
	case "set":
		value, ok3 := query.get("value")
		if !ok3 {
			return errHandler("request lacks value")
		}
		if !ok {
			return errHandler("key is not a string")
		}
		if err := r.srv.stash.put(path, key, value); err != nil {
			return err
		}
	case "get":
		if !ok {
			return errHandler("key is not a string")
		}
		value, err := r.srv.stash.takeWait(r.ctx, path, key)
		if err != nil {
			return err
		}
		resp = pyObject{{"value", value}}
	}
	data, err := pyJSONEncode(resp)
	if err != nil {
		return err
	}
	return r.send(data, false)
}

// msgQueue is the queue behind a msg_channel: any number of writers, one
// reader.
type msgQueue struct {
	mu     sync.Mutex
	items  []msgQueueItem
	signal chan struct{} // one pending wake-up for the reader
}

type msgQueueItem struct {
	cmd  string // "message" or "close"
	body any
}

func newMsgQueue() *msgQueue { return &msgQueue{signal: make(chan struct{}, 1)} }

func (q *msgQueue) put(it msgQueueItem) {
	q.mu.Lock()
	q.items = append(q.items, it)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *msgQueue) empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) == 0
}

// get waits up to timeout for an item; ok is false on timeout.
func (q *msgQueue) get(ctx context.Context, timeout time.Duration) (msgQueueItem, bool, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			it := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return it, true, nil
		}
		q.mu.Unlock()
		select {
		case <-q.signal:
		case <-t.C:
			return msgQueueItem{}, false, nil
		case <-ctx.Done():
			return msgQueueItem{}, false, wsErr(errConnTerminated, "server closing")
		}
	}
}

// msgChannelEntry is the stash value of a channel: (queue, has_reader,
// writer_count).
type msgChannelEntry struct {
	queue       *msgQueue
	hasReader   bool
	writerCount int
}

const msgChannelPath = "msg_channel"

// msgChannelParams returns ?uuid= and ?direction= (the last of each).
func msgChannelParams(r *wsRequest) (string, string, error) {
	parts := strings.Split(r.uri, "?")
	if len(parts) < 2 {
		return "", "", errHandler("no query in %q", r.uri)
	}
	q := parseQS(parts[1])
	id, ok1 := lastQuery(q, "uuid")
	dir, ok2 := lastQuery(q, "direction")
	if !ok1 || !ok2 {
		return "", "", errHandler("uuid and direction are required")
	}
	return id, dir, nil
}

// msg_channel_wsh.py: a channel named by ?uuid=; "write" sockets send
// JSON [cmd, data] commands ("message", "disconnectReader", "delete"),
// the single "read" socket receives each message's data as JSON.
func msgChannelTransfer(r *wsRequest) error {
	id, dir, err := msgChannelParams(r)
	if err != nil {
		return err
	}
	st := r.srv.stash
	st.mu.Lock()
	v, err := st.takeLocked(msgChannelPath, id)
	if err != nil {
		st.mu.Unlock()
		return err
	}
	var e msgChannelEntry
	if v == nil {
		e = msgChannelEntry{queue: newMsgQueue()}
		if dir == "read" {
			e.hasReader = true
		} else {
			e.writerCount = 1
		}
	} else {
		var isEntry bool
		if e, isEntry = v.(msgChannelEntry); !isEntry {
			st.mu.Unlock()
			return errHandler("stash value of %s is not a channel", id)
		}
		if dir == "read" {
			if e.hasReader {
				st.mu.Unlock()
				return errHandler("tried to start multiple readers for the same queue")
			}
			e.hasReader = true
		} else {
			e.writerCount++
		}
	}
	err = st.putLocked(msgChannelPath, id, e)
	st.mu.Unlock()
	if err != nil {
		return err
	}
	switch dir {
	case "read":
		err = msgChannelRead(r, e.queue)
	case "write":
		err = msgChannelWrite(r, id, e.queue)
	}
	if err != nil {
		return err
	}
	msgChannelClose(r.srv.stash, id, dir, true)
	return nil
}

func msgChannelRead(r *wsRequest, q *msgQueue) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		msgChannelWaitForClose(r, q)
	}()
	err := msgChannelReadLoop(r, q)
	if err == nil {
		// The socket is still being read by the goroutine above; start
		// the closing handshake here and let it receive the answer,
		// rather than reading from two goroutines. When the client
		// closed (its close frame put "close" in the queue), that
		// goroutine is answering it with the client's code and reason.
		if c, s := r.terminated(); !c && !s {
			err = r.sendClose(closeNormal, "")
		}
	}
	if err != nil {
		return err
	}
	select {
	case <-done:
	case <-r.ctx.Done():
		return wsErr(errConnTerminated, "server closing")
	}
	return nil
}

func msgChannelReadLoop(r *wsRequest, q *msgQueue) error {
	for {
		it, ok, err := q.get(r.ctx, time.Second)
		if err != nil {
			return err
		}
		if !ok {
			if c, s := r.terminated(); c || s {
				return nil
			}
			continue
		}
		switch it.cmd {
		case "close":
			return nil
		case "message":
			data, err := pyJSONEncode(it.body)
			if err != nil {
				return err
			}
			if err := r.send(data, false); err != nil {
				return err
			}
		}
	}
}

// unpack2 is Python's "a, b = value" on a decoded JSON value: a list or
// object of two entries (an object gives its keys) or a string of two
// characters. typeErr reports a value that cannot be iterated at all.
func unpack2(v any) (a, b any, ok, typeErr bool) {
	switch t := v.(type) {
	case []any:
		if len(t) == 2 {
			return t[0], t[1], true, false
		}
	case pyObject:
		if len(t) == 2 {
			return t[0].key, t[1].key, true, false
		}
	case string:
		if rs := []rune(t); len(rs) == 2 {
			return string(rs[0]), string(rs[1]), true, false
		}
	case nil, bool, json.Number:
		return nil, nil, false, true
	}
	return nil, nil, false, false
}

// msgChannelWaitForClose reads the reader socket: a ["close", ...]
// message or the end of the socket closes the channel's reader side.
func msgChannelWaitForClose(r *wsRequest, q *msgQueue) {
	for {
		m, ok, err := r.receive()
		if err != nil || !ok {
			break
		}
		v, err := pyJSONDecode(m.data)
		if err != nil {
			continue
		}
		cmd, _, ok, typeErr := unpack2(v)
		if typeErr || ok && cmd == "close" {
			break
		}
	}
	if _, s := r.terminated(); !s {
		q.put(msgQueueItem{cmd: "close"})
	}
}

func msgChannelWrite(r *wsRequest, id string, q *msgQueue) error {
	for {
		m, ok, err := r.receive()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		v, err := pyJSONDecode(m.data)
		if err != nil {
			return err
		}
		cmd, body, ok, _ := unpack2(v)
		if !ok {
			return errHandler("command is not a [cmd, data] pair")
		}
		switch cmd {
		case "disconnectReader":
			q.put(msgQueueItem{cmd: "close"})
		case "message":
			q.put(msgQueueItem{cmd: "message", body: body})
		case "delete":
			msgChannelClose(r.srv.stash, id, "", false)
		}
	}
}

// msgChannelPassiveClose: when a reader's client closes, wake the reader
// loop; the close is echoed as received.
func msgChannelPassiveClose(r *wsRequest) (int, string, error) {
	id, dir, err := msgChannelParams(r)
	if err != nil {
		return 0, "", err
	}
	if dir == "read" {
		st := r.srv.stash
		st.mu.Lock()
		v, err := st.takeLocked(msgChannelPath, id)
		if err == nil {
			err = st.putLocked(msgChannelPath, id, v)
		}
		st.mu.Unlock()
		if err != nil {
			return 0, "", err
		}
		if e, ok := v.(msgChannelEntry); ok {
			e.queue.put(msgQueueItem{cmd: "close"})
		}
	}
	// Returned as is: after a close without code (1005), no close frame
	// can be built and the connection fails.
	return r.closeCode, r.closeReason, nil
}

// msgChannelClose updates the channel's reference counts when a socket
// ends (dir "read" or "write"), or deletes the channel (hasDir false).
func msgChannelClose(st *stash, id, dir string, hasDir bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, err := st.takeLocked(msgChannelPath, id)
	if err != nil || v == nil || !hasDir {
		return
	}
	e, ok := v.(msgChannelEntry)
	if !ok {
		return
	}
	if dir == "read" {
		e.hasReader = false
	} else {
		e.writerCount--
	}
	if e.hasReader || e.writerCount > 0 || !e.queue.empty() {
		st.putLocked(msgChannelPath, id, e)
	}
}

// takeWait takes (path, key), waiting for a put while there is no value.
func (s *stash) takeWait(ctx context.Context, path, key string) (any, error) {
	for {
		s.mu.Lock()
		v, err := s.takeLocked(path, key)
		changed := s.changed
		s.mu.Unlock()
		if err != nil || v != nil {
			return v, err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, wsErr(errConnTerminated, "server closing")
		}
	}
}
