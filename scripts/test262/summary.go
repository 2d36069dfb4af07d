package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// A tally counts the files of one row of the summary.
type tally struct{ pass, total int }

func (t tally) String() string {
	if t.total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %.1f%%", t.pass, t.total, 100*float64(t.pass)/float64(t.total))
}

// rows returns the summary rows a result counts in: "all", its area
// ("test/built-ins"), the directory under the area ("test/built-ins/Array")
// and "feature:<name>" for each feature it lists.
func rows(r *result) []string {
	out := []string{"all"}
	parts := strings.SplitN(r.path, "/", 4)
	if len(parts) >= 3 {
		out = append(out, parts[0]+"/"+parts[1])
	}
	if len(parts) == 4 {
		out = append(out, parts[0]+"/"+parts[1]+"/"+parts[2])
	}
	for _, f := range r.features {
		out = append(out, "feature:"+f)
	}
	return out
}

// summarize counts the files run and passed, per row, per engine.
func summarize(results [][]result) map[string][]tally {
	m := map[string][]tally{}
	for e, rs := range results {
		for i := range rs {
			r := &rs[i]
			if r.skipped != "" {
				continue
			}
			for _, row := range rows(r) {
				if m[row] == nil {
					m[row] = make([]tally, len(results))
				}
				m[row][e].total++
				if r.failure == "" {
					m[row][e].pass++
				}
			}
		}
	}
	return m
}

// writeSummary prints a table of files passing per row, one column per
// engine: "all", then the areas and their directories, then the features.
func writeSummary(w io.Writer, engines []string, results [][]result) error {
	m := summarize(results)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	rank := func(s string) int {
		switch {
		case s == "all":
			return 0
		case strings.HasPrefix(s, "feature:"):
			return 2
		}
		return 1
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "files passing\t%s\n", strings.Join(engines, "\t"))
	for _, n := range names {
		cells := make([]string, len(engines))
		for e, t := range m[n] {
			cells[e] = t.String()
		}
		fmt.Fprintf(tw, "%s\t%s\n", n, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}
