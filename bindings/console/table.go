package console

import (
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// table (https://console.spec.whatwg.org/#table) shows tabularData as a
// table: a row per own enumerable property (or per entry of a Map or Set), a
// column per property of the rows, restricted to properties when it is given,
// and a "Values" column for rows that are primitives. Data that is not an
// object is logged as it is.
func (c *console) table(call goja.FunctionCall) goja.Value {
	data := call.Argument(0)
	properties, hasProperties := c.properties(call.Argument(1))
	o, ok := data.(*goja.Object)
	if !ok {
		c.logger(c.stdout, call.Arguments[:min(len(call.Arguments), 1)])
		return goja.Undefined()
	}
	var head []string
	var columns [][]string // columns[i][row]; rows missing a cell hold ""
	switch k := c.in.kindOf(o); k {
	case kindMap, kindSet:
		var keys, values []string
		cb := c.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
			values = append(values, c.cell(fc.Argument(0)))
			keys = append(keys, c.cell(fc.Argument(1)))
			return goja.Undefined()
		})
		forEach := c.in.setForEach
		if k == kindMap {
			forEach = c.in.mapForEach
		}
		if _, err := forEach(o, cb); err != nil {
			panic(err)
		}
		index := make([]string, len(values))
		for i := range index {
			index[i] = strconv.Itoa(i)
		}
		if k == kindMap {
			head = []string{"(iteration index)", "Key", "Values"}
			columns = [][]string{index, keys, values}
		} else {
			head = []string{"(iteration index)", "Values"}
			columns = [][]string{index, values}
		}
	default:
		rowKeys := o.Keys()
		var colNames []string
		colIndex := make(map[string]int)
		var colCells [][]string
		valuesCol := make([]string, len(rowKeys))
		hasPrimitives := false
		column := func(name string) int {
			i, ok := colIndex[name]
			if !ok {
				i = len(colNames)
				colIndex[name] = i
				colNames = append(colNames, name)
				colCells = append(colCells, make([]string, len(rowKeys)))
			}
			return i
		}
		for r, rk := range rowKeys {
			item := o.Get(rk)
			row, isObject := item.(*goja.Object)
			if !hasProperties && !isObject {
				hasPrimitives = true
				valuesCol[r] = c.cell(item)
				continue
			}
			keys := properties
			if !hasProperties {
				keys = row.Keys()
			}
			for _, key := range keys {
				col := column(key)
				if !isObject || !c.hasOwn(row, key) {
					continue
				}
				colCells[col][r] = c.cell(row.Get(key))
			}
		}
		head = append([]string{"(index)"}, colNames...)
		columns = append([][]string{rowKeys}, colCells...)
		if hasPrimitives {
			head = append(head, "Values")
			columns = append(columns, valuesCol)
		}
	}
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString(renderTable(head, columns))
	c.print(c.stdout, b.Bytes())
	return goja.Undefined()
}

// properties converts the optional sequence<DOMString> properties argument
// (https://webidl.spec.whatwg.org/#js-sequence).
func (c *console) properties(v goja.Value) ([]string, bool) {
	if goja.IsUndefined(v) {
		return nil, false
	}
	if _, ok := v.(*goja.Object); !ok {
		panic(c.vm.NewTypeError("Failed to execute 'table' on 'console': The provided value cannot be converted to a sequence."))
	}
	props := []string{}
	c.vm.ForOf(v, func(item goja.Value) bool {
		if _, ok := item.(*goja.Symbol); ok {
			panic(c.vm.NewTypeError("Failed to execute 'table' on 'console': Cannot convert a Symbol value to a string"))
		}
		props = append(props, item.String())
		return true
	})
	return props, true
}

func (c *console) hasOwn(o *goja.Object, key string) bool {
	_, ok := c.in.ownProperty(o, c.vm.ToValue(key))
	return ok
}

// cell formats a value for a table cell: on one line, nested objects with
// more than two keys abbreviated.
func (c *console) cell(v goja.Value) string {
	opts := inspectOptions{depth: 0, breakLength: unlimited, maxArrayLength: 3, maxStringLength: defaultInspect.maxStringLength}
	if o, ok := v.(*goja.Object); ok && o.ClassName() != "Array" && len(o.Keys()) > 2 {
		opts.depth = -1
	}
	return c.in.inspect(v, opts)
}

// renderTable draws a table with box-drawing characters, cells left
// aligned.
func renderTable(head []string, columns [][]string) string {
	rows := 0
	for _, col := range columns {
		rows = max(rows, len(col))
	}
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = textWidth(h)
		for _, cell := range columns[i] {
			widths[i] = max(widths[i], textWidth(cell))
		}
	}
	var b strings.Builder
	line := func(left, mid, right string) {
		b.WriteString(left)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(mid)
			}
			b.WriteString(strings.Repeat("─", w+2))
		}
		b.WriteString(right)
	}
	row := func(cell func(i int) string) {
		b.WriteString("│")
		for i, w := range widths {
			s := cell(i)
			b.WriteString(" " + s + spaces(w-textWidth(s)) + " │")
		}
		b.WriteByte('\n')
	}
	line("┌", "┬", "┐\n")
	row(func(i int) string { return head[i] })
	line("├", "┼", "┤\n")
	for r := 0; r < rows; r++ {
		row(func(i int) string {
			if r < len(columns[i]) {
				return columns[i][r]
			}
			return ""
		})
	}
	line("└", "┴", "┘")
	return b.String()
}
