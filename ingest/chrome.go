package ingest

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// defaultChrome lists the lines that this agency's site puts around an
// article in each of its languages: review and follow prompts, section
// labels, share and navigation buttons. They are compared with chromeKey,
// so case, punctuation and arrows around them do not matter. Read-only.
var defaultChrome = []string{
	// English.
	"Leave a review", "Write a review", "Follow us on social networks",
	"Follow us on social media", "Subscribe to our channel", "News Line",
	"News feed", "Latest news", "Difficult question", "Related news",
	"Related articles", "Read also", "See also", "More news", "Other news",
	"Share", "Share this", "Share on Facebook", "Share on Twitter", "Print",
	"Back", "Home", "Main page", "Read more", "Comments", "Add comment",
	"Tags", "Copy link", "All rights reserved", "Skip links", "Skip to content",
	"Skip to main content", "Top of page", "Back to top",
	"Please login or subscribe to read more", "Radio Azadliq", "Turan",
	// Azerbaijani.
	"Rəy bildirin", "Rəy yaz", "Rəy yazın", "Bizi sosial şəbəkələrdə izləyin",
	"Sosial şəbəkələrdə bizi izləyin", "Xəbər lenti", "Son xəbərlər",
	"Çətin sual", "Digər xəbərlər", "Oxşar xəbərlər", "Həmçinin oxuyun",
	"Paylaş", "Paylaşın", "Çap et", "Çap", "Geri", "Ana səhifə",
	"Ətraflı", "Daha ətraflı", "Şərhlər", "Şərh yaz", "Teqlər",
	"Bütün hüquqlar qorunur", "Keçid linkləri", "Azadlıq Radiosu",
	"Davamını oxumaq üçün daxil olun və ya abunə olun",
	// Russian.
	"Оставить отзыв", "Оставьте отзыв", "Написать отзыв",
	"Подписывайтесь на нас в социальных сетях",
	"Следите за нами в социальных сетях", "Лента новостей",
	"Последние новости", "Трудный вопрос", "Другие новости",
	"Похожие новости", "Читайте также", "Смотрите также", "Поделиться",
	"Печать", "Распечатать", "Назад", "Главная", "На главную",
	"Читать далее", "Подробнее", "Комментарии", "Теги", "Все права защищены",
	"Ссылки для упрощенного доступа", "Радио Азадлыг", "Туран",
	"Войдите или подпишитесь, чтобы читать дальше",
	// Networks, shown as bare button labels in every language.
	"Facebook", "Twitter", "Telegram", "WhatsApp", "Instagram", "YouTube",
	"LinkedIn", "VK", "VKontakte", "Odnoklassniki", "E-mail", "Email",
}

// closingChrome are the chrome lines that close an article on the agency's
// site: after them come only the site's furniture and other pieces. By
// chromeKey. Read-only.
var closingChrome = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range []string{
		"Leave a review", "Write a review", "Follow us on social networks", "Follow us on social media",
		"News Line", "News feed", "Rəy bildirin", "Rəy yaz", "Rəy yazın", "Bizi sosial şəbəkələrdə izləyin",
		"Sosial şəbəkələrdə bizi izləyin", "Xəbər lenti", "Оставить отзыв", "Оставьте отзыв", "Написать отзыв",
		"Подписывайтесь на нас в социальных сетях", "Следите за нами в социальных сетях", "Лента новостей",
	} {
		m[chromeKey(l)] = true
	}
	return m
}()

// linkWords mark a label ending in ':' as the caption of a link that the
// scraper dropped ("Youtube səhifəsinin ünvanı:"). Read-only.
var linkWords = []string{
	"youtube", "facebook", "telegram", "instagram", "twitter", "whatsapp",
	"tiktok", "ünvan", "səhifə", "keçid", "address", "link", "page", "site",
	"адрес", "ссылка", "страниц", "канал", "channel", "kanal",
}

// chromeSet matches whole lines against the default chrome list and the
// extra lines of one source. It is only read once built.
type chromeSet struct {
	defaults, extra map[string]bool // by chromeKey
	maxLen          int             // bytes of the longest line listed
}

// defaultChromeSet is the defaults, keyed once for every call.
var defaultChromeSet = sync.OnceValue(func() chromeSet { return keyChrome(defaultChrome) })

// newChromeSet returns the defaults plus extra.
func newChromeSet(extra []string) chromeSet {
	set := defaultChromeSet()
	if len(extra) > 0 {
		more := keyChrome(extra)
		set.extra, set.maxLen = more.defaults, max(set.maxLen, more.maxLen)
	}
	return set
}

func keyChrome(lines []string) chromeSet {
	set := chromeSet{defaults: make(map[string]bool, len(lines))}
	for _, s := range lines {
		if k := chromeKey(s); k != "" {
			set.defaults[k] = true
			set.maxLen = max(set.maxLen, len(s))
		}
	}
	return set
}

// isChrome reports whether a normalised line is site chrome: one of the
// set's lines, a copyright line, or an empty link label.
func (c chromeSet) isChrome(line string) bool {
	if strings.HasPrefix(line, "©") || isLinkLabel(line) {
		return true
	}
	if len(line) > c.maxLen+32 {
		// Longer than any chrome with arrows and bullets around it: text.
		return false
	}
	key := chromeKey(line)
	if key == "" {
		// Only symbols: bullets and arrows of a menu. A separator such as
		// "—" or "***" is kept; it belongs to the text.
		return !isSeparator(line)
	}
	return c.defaults[key] || c.extra[key] || strings.HasPrefix(key, "copyright ")
}

// isSeparator reports whether a line without letters or digits is a
// deliberate separator in the text, such as "—", "* * *" or "###".
func isSeparator(line string) bool {
	for _, r := range line {
		switch {
		case r == ' ' || r == '*' || r == '-' || r == '—' || r == '–' || r == '#' || r == '~' || r == '=' || r == '•' || r == '.' || r == '_':
		default:
			return false
		}
	}
	return line != ""
}

// isLinkLabel reports whether line is a short caption ending in ':' that
// names a link, with nothing after it: the scraper kept the label and lost
// the link.
func isLinkLabel(line string) bool {
	if !strings.HasSuffix(line, ":") || utf8.RuneCountInString(line) > 60 {
		return false
	}
	lower := strings.ToLower(line)
	for _, w := range linkWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// isTrailingLabel reports whether line is a short label ending in ':' and
// so, at the end of a page with nothing after it, an empty link label.
func isTrailingLabel(line string) bool {
	return strings.HasSuffix(line, ":") && len(strings.Fields(line)) <= 8
}

// chromeKey reduces a line to lower-case letters and digits separated by
// single spaces, so that "» Read more", "READ MORE:" and "Read more" match.
func chromeKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		// A hyphen inside a word ("E-mail") joins; anything else separates.
		if r != '-' {
			space = true
		}
	}
	return b.String()
}
