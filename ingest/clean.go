package ingest

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Options says what the caller already knows about a page. Zero values
// mean "take it from the page, else detect it". A set option beats the
// page's own metadata, which beats detection.
type Options struct {
	Source   string          // e.g. "file", "feed:<url>", "cms"; default the page's, else "file"
	Kind     herald.Kind     // metadata beats detection
	Language herald.Language // metadata beats detection
	Program  string          // default: the program the page names (Programs), else ""
	Chrome   []string        // extra chrome lines for this source, on top of the defaults
	// Programs are this source's shows by every name its pages use, on
	// top of the built-in ones (an entry named like a built-in program
	// adds names to it).
	Programs []Program
	// Sections are extra section labels of this source: dropped above a
	// headline, and taken for the end of the article when teasers of
	// other pieces follow them.
	Sections []string
	// Zone is the agency's time zone, in which dates and air times on a
	// page are read (HERALD_TIMEZONE); nil means Asia/Baku.
	Zone *time.Location
	// Now is the clock: published_at is Now() when the page has no date.
	// When nil, published_at is left zero for the store to fill in with
	// when it first saw the article (so that importing a page again does
	// not change it).
	Now func() time.Time
}

// Page is one page as a format parser read it, before cleaning: the text
// in reading order and whatever metadata the page carried. Zero fields are
// unknown.
type Page struct {
	Title string // when the format marks it; else the headline is found
	Lead  string // when the format marks it (JSON "lead"); else the first paragraph
	// Paragraphs in reading order. A "\n" inside one is a line break that
	// is kept; chrome is recognised line by line.
	Paragraphs []string

	Source      string
	ExternalID  string
	URL         string
	GUID        string
	ImageURL    string
	VideoURL    string
	PublishedAt time.Time
	AirAt       time.Time
	Kind        herald.Kind
	Language    herald.Language
	Program     string
	Section     string // the site's section or keywords (HTML meta): tells a show's page
	People      []string
	Status      herald.ArticleStatus
	Breaking    bool
}

// substantial is the length, in runes, from which a paragraph seen twice
// is a repeat of the body rather than a short line that a text may repeat
// ("—", "Yes.").
const substantial = 40

// cleaner holds what one source's pages are cleaned with.
type cleaner struct {
	chrome   chromeSet
	programs programSet
	labels   labelSet
	zone     *time.Location
}

// Clean turns a page into a clean article: the lines above the headline
// read (the date line as the published date, an image line as the image,
// "last update", "N hours ago", breadcrumbs and section labels dropped),
// the headline found, site chrome and the teasers after the body removed,
// a repeated body kept once, the dateline found in the opening, kind,
// language, program and air time detected, and text normalised (NFC,
// spaces, no zero-width characters; quotes as typed). An episode whose air
// day the page does not tell is kept with NeedsEditor set instead of a
// guessed air time. It fails with an EInvalid *herald.Error when the page
// has no headline, no text after it, bad metadata, or the article does not
// validate.
func Clean(p Page, opts Options) (*herald.Article, error) {
	c := &cleaner{
		chrome:   newChromeSet(opts.Chrome),
		programs: newProgramSet(opts.Programs),
		labels:   newLabelSet(opts.Sections),
		zone:     opts.Zone,
	}
	if c.zone == nil {
		c.zone = agencyZone()
	}
	var o opening
	paras := c.normalizeParagraphs(p.Paragraphs, &o)
	paras = c.dropLeadingList(paras)
	paras = c.skipOpening(paras, &o)
	inputParas := substantialCount(paras)

	title := normalizeLine(p.Title)
	if imageURL(title) != "" { // "# ![photo](url)": the image, not a headline
		o.image, title = first(o.image, imageURL(title)), ""
	}
	if title == "" {
		if len(paras) == 0 {
			return nil, herald.Errorf(herald.EInvalid, "no title: the page has no text")
		}
		paras = dropStrayAboveHeadline(paras)
		head, rest, _ := strings.Cut(paras[0], "\n")
		if n := utf8.RuneCountInString(head); n > herald.MaxTitleLen {
			return nil, herald.Errorf(herald.EInvalid, "title: no headline found: the first line of text is %d characters, over the %d a headline may have", n, herald.MaxTitleLen)
		}
		title = head
		if rest == "" {
			paras = paras[1:]
		} else {
			paras[0] = rest
		}
	}

	title = c.dropSectionTag(title)
	paras = dropTitleRepeats(paras, title)
	paras = c.skipOpening(paras, &o) // stamps and "N hours ago" under the headline
	// A photo caption shown twice under the headline (the image's alt text
	// and its caption) is not the lead.
	if len(paras) > 2 && paras[0] == paras[1] && utf8.RuneCountInString(paras[0]) <= 250 {
		paras = c.skipOpening(paras[2:], &o)
	}
	paras = cutAtEndMark(paras)
	published := p.PublishedAt
	if published.IsZero() {
		published = c.rezone(o.date)
	}
	paras = cutRelatedList(paras)
	paras = c.cutTeasers(paras)

	a := &herald.Article{Title: title, Status: herald.ArticlePublished}
	// The dateline opens the lead, or a paragraph near it when a caption
	// or a subtitle comes first.
	for i := 0; i < len(paras) && i < 3; i++ {
		d, rest, ok := parseDateline(paras[i])
		if !ok {
			continue
		}
		a.Place = d.Place
		if published.IsZero() {
			published = c.rezone(d.Date)
		}
		if paras[i] = strings.TrimSpace(rest); paras[i] == "" {
			paras = append(paras[:i], paras[i+1:]...)
		}
		break
	}
	if lead := normalizeLine(p.Lead); lead != "" {
		paras = append([]string{lead}, dropFirstIf(paras, lead)...)
	}
	paras = dedupe(paras)
	paras = dropTrailingLabels(paras)
	if len(paras) == 0 {
		return nil, herald.Errorf(herald.EInvalid, "no text after the title %q", clip(title, 60))
	}
	a.Lead, a.Body = paras[0], strings.Join(paras[1:], "\n\n")
	// A page of several paragraphs that cleans down to a lead alone has
	// most likely lost its body to a misread opening or ending: it is kept
	// for an editor to look at rather than posted short.
	lost := a.Body == "" && inputParas >= 3

	// The page's own date is what relative air days ("today", "on
	// Thursday") count from; without one they cannot be told.
	pageDated := !published.IsZero()
	// A page without a date was published when herald first saw it: now,
	// by the caller's clock, or, without one, whenever the store says.
	if published.IsZero() && opts.Now != nil {
		published = opts.Now()
	}
	a.PublishedAt = published.UTC()

	all := title + "\n" + strings.Join(paras, "\n")
	named := first(o.program, c.programs.find(p.Section), c.programs.find(all))
	a.Language = first(opts.Language, p.Language, detectLanguage(all))
	a.Program = first(opts.Program, p.Program, named)
	a.Kind = first(opts.Kind, p.Kind)
	air := p.AirAt
	if air.IsZero() && (a.Kind == "" || a.Kind == herald.KindEpisode) {
		ref := published
		if ref.IsZero() {
			ref = time.Now()
		}
		found := c.detectEpisode(title, paras, ref, pageDated)
		switch {
		case found.sure:
			air = found.at
		case found.clock != "":
			a.NeedsEditor = found.reason
		}
		if found.clock != "" && a.Kind == "" {
			a.Kind = herald.KindEpisode
		}
	}
	if lost && a.NeedsEditor == "" {
		a.NeedsEditor = herald.HeldBodyLost
	}
	if a.Kind == "" {
		switch {
		case !air.IsZero():
			a.Kind = herald.KindEpisode
		case named != "" || a.Program != "":
			a.Kind = herald.KindCommentary
		default:
			a.Kind = herald.KindNews
		}
	}
	if !air.IsZero() {
		air = air.UTC()
		a.AirAt = &air
	}

	a.Source = first(opts.Source, p.Source, "file")
	a.URL, a.ImageURL, a.VideoURL = p.URL, first(p.ImageURL, o.image), p.VideoURL
	a.People = cleanPeople(p.People)
	a.Breaking = p.Breaking
	if p.Status != "" {
		a.Status = p.Status
	}
	a.ContentHash = a.Hash()
	a.ExternalID = first(normalizeLine(p.ExternalID), strings.TrimSpace(p.URL), strings.TrimSpace(p.GUID), "sha256:"+a.ContentHash[:32])
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// dropSectionTag removes a section's name in capitals that a site adds
// to a headline ("… - MÜSAHİBƏ", "… – INTERVIEW").
func (c *cleaner) dropSectionTag(title string) string {
	for _, sep := range []string{" - ", " – ", " — "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		tag := strings.TrimSpace(title[i+len(sep):])
		if tag == strings.ToUpper(tag) && c.labels.isSection(tag) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// rezone reads the wall-clock time of t, a date read from the page in
// Asia/Baku, in the agency's configured zone instead.
func (c *cleaner) rezone(t time.Time) time.Time {
	if t.IsZero() || c.zone == agencyZone() {
		return t
	}
	b := t.In(agencyZone())
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, c.zone).UTC()
}

// skipOpening drops the lines at the top of paras that are not text (see
// openingLine), keeping what they tell in o.
func (c *cleaner) skipOpening(paras []string, o *opening) []string {
	for len(paras) > 0 {
		line, rest, _ := strings.Cut(paras[0], "\n")
		if !c.openingLine(line, o) {
			break
		}
		if rest == "" {
			paras = paras[1:]
		} else {
			paras[0] = rest
		}
	}
	return paras
}

// first returns the first of vs that is not empty.
func first[T ~string](vs ...T) T {
	for _, v := range vs {
		if strings.TrimSpace(string(v)) != "" {
			return v
		}
	}
	return ""
}

// normalizeParagraphs normalises every line and drops chrome lines,
// image lines and empty ones, and returns the paragraphs that are left. A
// section label naming a show and the first image go into o: the label is
// chrome, but it still tells that the page is the show's.
func (c *cleaner) normalizeParagraphs(in []string, o *opening) []string {
	out := make([]string, 0, len(in))
	bodySeen, closed := false, false
	var lines []string
	flushLines := func() {
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, "\n"))
			bodySeen = bodySeen || utf8.RuneCountInString(out[len(out)-1]) > substantial
			lines = nil
		}
	}
	for _, p := range in {
		for _, l := range strings.Split(normalizeText(p), "\n") {
			if l = collapseSpaces(l); l == "" {
				continue
			}
			if u := imageURL(l); u != "" {
				o.image = first(o.image, u)
				continue
			}
			if prog := c.programs.label(l); prog != "" {
				// The show's section label: after the body it closes the
				// article, as the site puts it over the show's other pieces.
				o.program = first(o.program, prog)
				if bodySeen && !closed {
					closed = true
					flushLines()
					out = append(out, endMark)
				}
				continue
			}
			if c.labels.isReadAlsoLink(l) {
				continue // another piece's headline set inside the body
			}
			if !bodySeen && c.labels.isReadAlso(l) {
				// "Son xəbərlər" over a list of other pieces above the
				// article, or a menu item: dropLeadingList decides.
				flushLines()
				out = append(out, listMark)
				continue
			}
			if c.chrome.isChrome(l) {
				if bodySeen && (closingChrome[chromeKey(l)] || c.labels.isReadAlso(l)) && !closed {
					// The article has ended; what follows is the site's.
					closed = true
					flushLines()
					out = append(out, endMark)
				}
				continue
			}
			lines = append(lines, l)
		}
		flushLines()
	}
	return out
}

// endMark stands, among paragraphs, where closing chrome ("Leave a
// review") ended the article. Normalised text has no NUL, so no page can
// write it.
const endMark = "\x00end"

// listMark stands where a "latest news"-style label stood above the body.
const listMark = "\x00list"

// dropLeadingList drops a list of other pieces that a page shows above
// its article: stamped headlines ("14:26 / 23-11-2024", "A headline")
// followed or preceded by a "latest news" or "all news" label. Without a
// stamp among them, the lines above a label are kept (a menu item over the
// headline). Every listMark goes.
func (c *cleaner) dropLeadingList(paras []string) []string {
	for k := 0; k < len(paras) && k < 60; k++ {
		if paras[k] != listMark {
			continue
		}
		stamps, list := 0, true
		for _, p := range paras[:k] {
			switch {
			case p == listMark:
			case isStampLine(firstLine(p)):
				stamps++
			case headlineLike(p) || c.isMark(p):
			default:
				list = false
			}
		}
		if list && stamps > 0 {
			paras = paras[k+1:]
			k = -1
		}
	}
	out := paras[:0:0]
	for _, p := range paras {
		if p != listMark {
			out = append(out, p)
		}
	}
	return out
}

// dropStrayAboveHeadline drops a short line above the headline that is
// neither a sentence nor the headline, a menu label the chrome list does
// not know ("Subscribe to our newsletter", "Online Payment"): when the
// line after it reads as a headline and the one after that is a stamp or
// a dateline, that second line is the headline, as the dateline sits
// directly under it.
func dropStrayAboveHeadline(paras []string) []string {
	l0, l1, l2 := lineAt(paras, 0), lineAt(paras, 1), lineAt(paras, 2)
	if l2 == "" || utf8.RuneCountInString(l0) > 60 || !headlineLike(l0) || !headlineLike(l1) {
		return paras
	}
	if !isStampLine(l2) {
		if _, _, ok := parseDateline(l2); !ok {
			return paras
		}
	}
	if _, rest, ok := strings.Cut(paras[0], "\n"); ok {
		return append([]string{rest}, paras[1:]...)
	}
	return paras[1:]
}

// lineAt returns the k-th line of paras counted across paragraphs, or "".
func lineAt(paras []string, k int) string {
	for _, p := range paras {
		for _, l := range strings.Split(p, "\n") {
			if k == 0 {
				return l
			}
			k--
		}
	}
	return ""
}

// substantialCount counts the paragraphs (lines of one count once each)
// longer than substantial, stamps aside.
func substantialCount(paras []string) int {
	n := 0
	for _, p := range paras {
		for _, l := range strings.Split(p, "\n") {
			if utf8.RuneCountInString(l) > substantial && !isStampLine(l) {
				n++
			}
		}
	}
	return n
}

// cutAtEndMark drops everything from the first endMark that follows the
// body on, and any other endMark.
func cutAtEndMark(paras []string) []string {
	out := paras[:0:0]
	for _, p := range paras {
		if p == endMark {
			if len(out) > 0 {
				return out
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// cutRelatedList drops the list of other headlines that a site shows after
// an article: from the first stamped line after the body to the end. When
// the list puts each stamp under its headline, the headline above the first
// stamp goes too. Stamps before any substantial paragraph are left alone.
func cutRelatedList(paras []string) []string {
	body := -1 // the first substantial paragraph
	for i, p := range paras {
		if body < 0 {
			if utf8.RuneCountInString(p) > substantial && !isStampLine(p) {
				body = i
			}
			continue
		}
		if !isStampLine(firstLine(p)) {
			continue
		}
		if i == 1 && body == 0 && headlineLike(paras[0]) {
			// A headline-like line then a stamp at the top: the article's
			// own headline and dateline, not a list of others.
			continue
		}
		cut := i
		last := paras[len(paras)-1]
		if i > 0 && isBareStamp(firstLine(p)) && isBareStamp(lastLine(last)) &&
			utf8.RuneCountInString(paras[i-1]) <= 200 && i-1 > body {
			cut = i - 1 // "Headline" then "16.02.2024 23:04", repeated
		}
		return paras[:cut]
	}
	return paras
}

// dropTrailingLabels removes short labels ending in ':' from the end of the
// text: captions of links the scraper lost, with nothing after them.
func dropTrailingLabels(paras []string) []string {
	for len(paras) > 0 && isTrailingLabel(paras[len(paras)-1]) {
		paras = paras[:len(paras)-1]
	}
	return paras
}

// cleanPeople normalises names, drops empty ones and repeats, and never
// returns nil, so that an article with nobody named says so as [].
func cleanPeople(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, p := range in {
		p = normalizeLine(p)
		if p != "" && !seen[strings.ToLower(p)] {
			seen[strings.ToLower(p)] = true
			out = append(out, p)
		}
	}
	return out
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func lastLine(s string) string { return s[strings.LastIndexByte(s, '\n')+1:] }

// clip shortens s to n runes for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
