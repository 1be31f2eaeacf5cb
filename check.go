package herald

// Verdict is how one line of herald doctor's check list came out.
type Verdict int

// Verdicts, from good to bad.
const (
	CheckOK   Verdict = iota // all is well
	CheckWarn                // works, but something is missing or odd
	CheckFail                // herald will not work as it should until this is fixed
)

// String returns the word doctor prints at the start of the line.
func (v Verdict) String() string {
	switch v {
	case CheckOK:
		return "ok"
	case CheckWarn:
		return "warn"
	}
	return "FAIL"
}

// Check is one line of herald doctor's check list: what was checked and
// what was found, and, for a warning or a failure, how to fix it. Every
// network reports its accounts in these lines.
type Check struct {
	Verdict Verdict
	Line    string
	Fix     string
}
