package benchmark

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Row is one figure of "herald bench" beside the limit it is measured
// against, in the same unit: value, limit, and their ratio.
type Row struct {
	Name  string
	Value float64
	Unit  string
	Limit float64
	// Ratio is Value over Limit; 0 when Limit is 0.
	Ratio float64
	// Against says what the limit is and where it comes from.
	Against string
	// HTTP429 is how many 429 Too Many Requests the fake served during the
	// figure's run, whose own limit is 0; nil for a row that sends nothing.
	HTTP429 *int
	// NA marks a figure this system cannot give, such as the resident set
	// size outside Linux: its value and ratio are "n/a" (null in JSON).
	NA bool
	// Goal, when set, is what the figure must meet (see Met).
	Goal *Goal
}

// Goal is what a row must meet: its value at most (or at least) Ratio
// times its limit, and no 429 received when the row counts them.
type Goal struct {
	AtLeast bool    // value ≥ Ratio × limit; otherwise value ≤ Ratio × limit
	Ratio   float64 //
}

// AtMost is the goal value ≤ ratio × limit.
func AtMost(ratio float64) *Goal { return &Goal{Ratio: ratio} }

// AtLeast is the goal value ≥ ratio × limit.
func AtLeast(ratio float64) *Goal { return &Goal{AtLeast: true, Ratio: ratio} }

func (g *Goal) String() string {
	if g.AtLeast {
		return "≥ " + strconv.FormatFloat(g.Ratio, 'f', -1, 64)
	}
	return "≤ " + strconv.FormatFloat(g.Ratio, 'f', -1, 64)
}

// WithGoal returns the row with goal set.
func (r Row) WithGoal(g *Goal) Row {
	r.Goal = g
	return r
}

// Met reports whether the row meets its goal; a row without one always
// does, and an n/a row with one never does (it cannot be shown to).
func (r Row) Met() bool {
	if r.Goal == nil {
		return true
	}
	if r.NA || (r.HTTP429 != nil && *r.HTTP429 > 0) {
		return false
	}
	bound := r.Goal.Ratio * r.Limit
	if r.Goal.AtLeast {
		return r.Value >= bound
	}
	return r.Value <= bound
}

// Missed returns a line naming every row that misses its goal, with its
// ratio and the goal, or "" when every row meets its own.
func Missed(rows []Row) string {
	var miss []string
	for _, r := range rows {
		if r.Met() {
			continue
		}
		why := fmt.Sprintf("%s (ratio %s, goal %s", r.Name, strconv.FormatFloat(r.Ratio, 'f', 3, 64), r.Goal)
		if r.NA {
			why = fmt.Sprintf("%s (n/a, goal %s", r.Name, r.Goal)
		}
		if r.HTTP429 != nil && *r.HTTP429 > 0 {
			why += fmt.Sprintf(", %d 429s received", *r.HTTP429)
		}
		miss = append(miss, why+")")
	}
	if len(miss) == 0 {
		return ""
	}
	return "missed goals: " + strings.Join(miss, "; ")
}

// NewRow returns a row with its ratio computed.
func NewRow(name string, value float64, unit string, limit float64, against string) Row {
	r := Row{Name: name, Value: value, Unit: unit, Limit: limit, Against: against}
	if limit != 0 {
		r.Ratio = value / limit
	}
	return r
}

// NARow returns a row for a figure this system cannot give.
func NARow(name, unit string, limit float64, against string) Row {
	return Row{Name: name, Unit: unit, Limit: limit, Against: against, NA: true}
}

// rowJSON is a Row as --json prints it.
type rowJSON struct {
	Name    string   `json:"name"`
	Value   *float64 `json:"value"`
	Unit    string   `json:"unit"`
	Limit   float64  `json:"limit"`
	Ratio   *float64 `json:"ratio"`
	HTTP429 *int     `json:"http_429,omitempty"`
	Goal    string   `json:"goal,omitempty"`
	Met     *bool    `json:"met,omitempty"`
	Against string   `json:"against"`
}

// MarshalJSON writes the row as an object with name, value, unit, limit,
// ratio (value and ratio null when n/a), against, http_429 when the row has
// it, and goal and met when it has a goal. Figures are rounded to 4
// significant digits.
func (r Row) MarshalJSON() ([]byte, error) {
	j := rowJSON{Name: r.Name, Unit: r.Unit, Limit: round4(r.Limit), HTTP429: r.HTTP429, Against: r.Against}
	if r.Goal != nil {
		met := r.Met()
		j.Goal, j.Met = "ratio "+r.Goal.String(), &met
	}
	if !r.NA {
		v, q := round4(r.Value), round4(r.Ratio)
		j.Value, j.Ratio = &v, &q
	}
	return json.Marshal(j)
}

// WriteJSON writes rows as a JSON array, one row a line.
func WriteJSON(w io.Writer, rows []Row) error {
	var b strings.Builder
	b.WriteString("[\n")
	for i, r := range rows {
		raw, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("benchmark: %w", err)
		}
		b.WriteString("  ")
		b.Write(raw)
		if i < len(rows)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable writes rows as an aligned table: the figure, its value, the
// limit, their ratio, the goal (and whether it was met) and what the limit
// is.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tVALUE\tLIMIT\tRATIO\tGOAL\tLIMIT IS")
	for _, r := range rows {
		value, ratio := FormatNumber(r.Value)+" "+r.Unit, strconv.FormatFloat(r.Ratio, 'f', 3, 64)
		if r.NA {
			value, ratio = "n/a", "n/a"
		}
		against := r.Against
		if r.HTTP429 != nil {
			against += fmt.Sprintf("; 429s received: %d (limit 0)", *r.HTTP429)
		}
		goal := "-"
		if r.Goal != nil {
			goal = r.Goal.String() + " met"
			if !r.Met() {
				goal = r.Goal.String() + " MISSED"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, value, FormatNumber(r.Limit)+" "+r.Unit, ratio, goal, against)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	return nil
}

// FormatNumber prints a figure with as many decimals as its size calls
// for: 3.341, 11.5, 971, 9,614.
func FormatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		s := strconv.FormatFloat(math.Round(a), 'f', 0, 64)
		var b strings.Builder
		if v < 0 {
			b.WriteByte('-')
		}
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// round4 rounds v to 4 significant digits, for JSON a reader can scan.
func round4(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return f
}
