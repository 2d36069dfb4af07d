package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

// maxBody bounds the request body handed to a plugin.
const maxBody = 1 << 20

// Handler returns the host's HTTP routes:
//
//	/plugins/{name}/{path...}  the plugin's handler
//	GET /plugins               Describe, as JSON
//	GET /metrics               Metrics, as JSON
//	POST /reload/{name}        Reload
//	PUT /deploy/{name}         Deploy the request's body
//	POST /events/{name}        Post the request's body
//
// The last three are administration: a real deployment serves them apart
// from the plugins' routes, or behind authentication.
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/plugins/{name}/{path...}", h.servePlugin)
	mux.HandleFunc("GET /plugins", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, h.Describe(r.Context()))
	})
	mux.HandleFunc("PUT /deploy/{name}", func(w http.ResponseWriter, r *http.Request) {
		code, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err == nil {
			err = h.Deploy(r.Context(), r.PathValue("name"), string(code))
		}
		if err != nil {
			httpError(w, h.status(err), err.Error())
			return
		}
		fmt.Fprintln(w, "deployed")
	})
	mux.HandleFunc("POST /events/{name}", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err == nil {
			err = h.Post(r.Context(), r.PathValue("name"), string(data))
		}
		if err != nil {
			httpError(w, h.status(err), err.Error())
			return
		}
		fmt.Fprintln(w, "posted")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, h.Metrics())
	})
	mux.HandleFunc("POST /reload/{name}", func(w http.ResponseWriter, r *http.Request) {
		if err := h.Reload(r.Context(), r.PathValue("name")); err != nil {
			httpError(w, h.status(err), err.Error())
			return
		}
		fmt.Fprintln(w, "reloaded")
	})
	return mux
}

func (h *Host) servePlugin(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		httpError(w, http.StatusRequestEntityTooLarge, err.Error())
		return
	}
	query := map[string]any{}
	for k, v := range r.URL.Query() {
		query[k] = v[0]
	}
	headers := map[string]any{}
	for k, v := range r.Header {
		headers[k] = v[0]
	}
	name := r.PathValue("name")
	res, err := h.Fetch(r.Context(), name, map[string]any{
		"method":  r.Method,
		"path":    "/" + r.PathValue("path"),
		"query":   query,
		"headers": headers,
		"body":    string(body),
	})
	if err != nil {
		var e *runtime.Error
		if errors.As(err, &e) {
			h.log.Printf("plugin %s: %s", name, e.Report())
		}
		httpError(w, h.status(err), err.Error())
		return
	}
	writeResult(w, res)
}

// status is the HTTP status for an error of Fetch or Reload.
func (h *Host) status(err error) int {
	switch {
	case errors.Is(err, ErrNoPlugin):
		return http.StatusNotFound
	case errors.Is(err, ErrBadName):
		return http.StatusBadRequest
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.Is(err, runtime.ErrNotFunction), errors.Is(err, ErrOutOfProcess):
		return http.StatusNotImplemented
	case errors.As(err, new(*subprocess.ExitError)), errors.Is(err, runtime.ErrHeapExceeded):
		return http.StatusBadGateway
	case errors.As(err, new(*runtime.Error)), errors.As(err, new(*runtime.LoadError)):
		return http.StatusInternalServerError
	}
	return http.StatusServiceUnavailable
}

// writeResult writes what a plugin's handler returned: a string is the body;
// an object has status, headers and body; anything else is sent as JSON.
func writeResult(w http.ResponseWriter, res any) {
	switch res := res.(type) {
	case string:
		io.WriteString(w, res)
		return
	case map[string]any:
		if headers, ok := res["headers"].(map[string]any); ok {
			for k, v := range headers {
				w.Header().Set(k, fmt.Sprint(v))
			}
		}
		status := http.StatusOK
		switch s := res["status"].(type) {
		case int64:
			status = int(s)
		case float64:
			status = int(s)
		}
		if status < 100 || status > 999 {
			httpError(w, http.StatusBadGateway, fmt.Sprintf("plugin returned status %d", status))
			return
		}
		if body, ok := res["body"].(string); ok || res["body"] == nil {
			w.WriteHeader(status)
			io.WriteString(w, body)
			return
		}
		writeJSON(w, status, res["body"])
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		httpError(w, http.StatusBadGateway, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func httpError(w http.ResponseWriter, status int, msg string) {
	http.Error(w, msg, status)
}
