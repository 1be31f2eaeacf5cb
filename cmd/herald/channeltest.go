package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// ruleList is a repeatable flag of filter rules, each value one rule or
// several separated by commas (a regular expression's own commas are
// kept: re: takes the rest of the value). "none" clears the list.
type ruleList struct {
	vals []string
	set  bool
}

func (l *ruleList) String() string { return strings.Join(l.vals, ", ") }

func (l *ruleList) Set(v string) error {
	l.set = true
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "none") {
		l.vals = nil
		return nil
	}
	for v != "" {
		var part string
		if isRegexpRule(v) {
			part, v = v, ""
		} else {
			part, v, _ = strings.Cut(v, ",")
		}
		if part = strings.TrimSpace(part); part != "" {
			if _, err := herald.ParseRule(part); err != nil {
				return fmt.Errorf("%s", strings.TrimPrefix(herald.ErrorMessage(err), "filter: "))
			}
			l.vals = append(l.vals, part)
		}
		v = strings.TrimSpace(v)
	}
	return nil
}

func (l *ruleList) rules() []string { return slices.Clone(l.vals) }

// isRegexpRule reports whether a rule (with its field, if any) is a
// regular expression.
func isRegexpRule(v string) bool {
	if strings.HasPrefix(v, "re:") {
		return true
	}
	field, rest, ok := strings.Cut(v, ":")
	return ok && slices.Contains(herald.FilterFields, strings.ToLower(strings.TrimSpace(field))) &&
		strings.HasPrefix(strings.TrimSpace(rest), "re:")
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func parseApprovers(v string) ([]int64, error) {
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "none") {
		return nil, nil
	}
	var out []int64
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--approvers %q: want Telegram user ids separated by commas, such as 1001,1002 (or none)", v)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func joinInts(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// channelTest says whether a channel takes an article, and why: its kind,
// its language, the filter rule that decided, and what approval means.
func channelTest(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "channel test", "CHANNEL ARTICLE\n\nSays whether the channel takes the article and why: its kind and language,\nthen the include or exclude rule that decided and the field it matched.")
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, reorder(args)); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(e.stderr, "herald channel test: name one channel (id, chat or title) and one article id")
		return exitUsage
	}
	var id int64
	if !parseID(fs.Arg(1), &id) {
		fmt.Fprintf(e.stderr, "herald channel test: %q is not an article id (herald articles shows them)\n", fs.Arg(1))
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	c, err := st.ChannelByRef(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel test: %s\n", herald.ErrorMessage(err))
		return exitFailed
	}
	a, err := st.Article(ctx, id)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel test: %s\n", herald.ErrorMessage(err))
		return exitFailed
	}
	lines, taken := explainTake(c, a)
	verdict := "does not take"
	if taken {
		verdict = "takes"
	}
	fmt.Fprintf(e.stdout, "channel #%d %s %s article #%d %q\n", c.ID, c.Title, verdict, a.ID, oneLine(a.Title, 80))
	for _, l := range lines {
		fmt.Fprintln(e.stdout, "  "+l)
	}
	return exitOK
}

// explainTake lists the reasons a channel takes an article or not, in the
// order herald checks them.
func explainTake(c *herald.Channel, a *herald.Article) ([]string, bool) {
	var lines []string
	taken := true
	kinds := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		kinds[i] = string(k)
	}
	if slices.Contains(c.Kinds, a.Kind) {
		lines = append(lines, fmt.Sprintf("kind %s: taken (the channel takes %s)", a.Kind, strings.Join(kinds, ", ")))
	} else {
		lines, taken = append(lines, fmt.Sprintf("kind %s: not taken (the channel takes %s)", a.Kind, strings.Join(kinds, ", "))), false
	}
	if a.Language == c.Language {
		lines = append(lines, fmt.Sprintf("language %s: taken", a.Language))
	} else {
		lines, taken = append(lines, fmt.Sprintf("language %s: not taken (the channel is in %s)", a.Language, c.Language)), false
	}
	v := c.Filters.Match(a)
	lines = append(lines, "filters: "+v.Explain())
	taken = taken && v.Taken
	if a.Status != herald.ArticlePublished {
		lines = append(lines, "the article is unpublished: nothing is planned for it")
	}
	if a.NeedsEditor != "" {
		lines = append(lines, "the article is held for an editor ("+a.NeedsEditor+"): herald does not plan it on its own")
	}
	if taken && c.Approval {
		lines = append(lines, "its posts wait for approval before they go out")
	}
	if taken && c.Paused {
		lines = append(lines, "the channel is paused: nothing goes out until it is resumed")
	}
	return lines, taken
}
