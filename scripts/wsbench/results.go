package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// results holds every run's figure by scenario and runtime.
type results struct {
	Date   string                          `json:"date"`
	Values map[string]map[string][]float64 `json:"values"`
	Failed map[string]map[string]int       `json:"failed"`
}

func newResults() *results {
	return &results{
		Date:   time.Now().Format("2006-01-02"),
		Values: map[string]map[string][]float64{},
		Failed: map[string]map[string]int{},
	}
}

func (r *results) add(scen, runtime string, v float64) {
	if r.Values[scen] == nil {
		r.Values[scen] = map[string][]float64{}
	}
	r.Values[scen][runtime] = append(r.Values[scen][runtime], v)
}

func (r *results) fail(scen, runtime string) {
	if r.Failed[scen] == nil {
		r.Failed[scen] = map[string]int{}
	}
	r.Failed[scen][runtime]++
}

// median returns the median of the figures of scen on runtime, and whether there
// are any.
func (r *results) median(scen, runtime string) (float64, bool) {
	v := r.Values[scen][runtime]
	if len(v) == 0 {
		return 0, false
	}
	return median(v), true
}

func (r *results) save(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// median returns the middle value of v (the mean of the two middle ones for an even
// count); v is left unchanged.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// format writes v with thousands separators, and one decimal below 100.
func format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	if math.Abs(v) < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// printTable writes the medians, every runtime's ratio to wsjs and the targets.
func printTable(w io.Writer, r *results, runtimes []string, runs int) {
	fmt.Fprintf(w, "\nWebSocket benchmark, %s: median of %d run(s), loopback, one Go echo server\n\n", r.Date, runs)
	cell := func(scen, rt string) string {
		if v, ok := r.median(scen, rt); ok {
			return format(v)
		}
		if r.Failed[scen][rt] > 0 {
			return "failed"
		}
		return "-"
	}
	header := func(first string) {
		fmt.Fprintf(w, "%-26s %-14s", first, "unit")
		for _, rt := range runtimes {
			fmt.Fprintf(w, " %12s", rt)
		}
		fmt.Fprintln(w)
	}
	header("scenario")
	for _, sc := range scenarios {
		if r.Values[sc.name] == nil && r.Failed[sc.name] == nil {
			continue
		}
		fmt.Fprintf(w, "%-26s %-14s", sc.title, sc.unit)
		for _, rt := range runtimes {
			fmt.Fprintf(w, " %12s", cell(sc.name, rt))
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nratio to wsjs (runtime / wsjs; rates: higher is better, bytes and ms: lower is better)\n\n")
	header("scenario")
	for _, sc := range scenarios {
		base, ok := r.median(sc.name, "wsjs")
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%-26s %-14s", sc.title, sc.unit)
		for _, rt := range runtimes {
			v, ok := r.median(sc.name, rt)
			s := "-"
			if ok && base != 0 {
				s = fmt.Sprintf("%.2fx", v/base)
			}
			fmt.Fprintf(w, " %12s", s)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\ntargets (1.00x or more meets the target)\n\n")
	for _, t := range targets(r) {
		mark := "met"
		if t.ratio < t.goal {
			mark = "NOT MET"
		}
		fmt.Fprintf(w, "%-26s %-44s %6.2fx  (target %.2fx)  %s\n", t.title, t.what, t.ratio, t.goal, mark)
	}
}

// target is one of the goals the figures are checked against.
type target struct {
	title string
	what  string
	ratio float64 // as in the goal: wsjs's rate over the peer's, or the peer's cost over wsjs's
	goal  float64
}

// jsPeers are the runtimes wsjs is compared with; go is the ceiling.
var jsPeers = []string{"node+ws", "node+undici", "deno", "bun"}

// targets computes the ratios the goals are stated in: for rates, wsjs over the best
// peer (and over plain Go for ping-pong); for idle memory, the best peer's bytes (plain
// Go included) over wsjs's; for startup, the fastest peer's time over wsjs's.
func targets(r *results) []target {
	var out []target
	for _, sc := range scenarios {
		w, ok := r.median(sc.name, "wsjs")
		if !ok || w == 0 {
			continue
		}
		peers := jsPeers
		if sc.name == "idle" {
			peers = append(slices.Clone(jsPeers), "go")
		}
		best, bestName := math.NaN(), ""
		for _, p := range peers {
			v, ok := r.median(sc.name, p)
			if !ok {
				continue
			}
			if bestName == "" || (sc.higher && v > best) || (!sc.higher && v < best) {
				best, bestName = v, p
			}
		}
		if bestName != "" {
			t := target{title: sc.title, goal: 1}
			if sc.higher {
				t.what, t.ratio = "wsjs / best peer ("+bestName+")", w/best
			} else {
				t.what, t.ratio = "best peer ("+bestName+") / wsjs", best/w
			}
			out = append(out, t)
		}
		if sc.name == "pingpong" {
			if g, ok := r.median(sc.name, "go"); ok && g > 0 {
				out = append(out, target{title: sc.title, what: "wsjs / plain Go", ratio: w / g, goal: 0.85})
			}
		}
	}
	return out
}
