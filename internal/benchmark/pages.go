package benchmark

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// words are the generator's material in each of the agency's languages:
// subjects, verbs, objects and closings for sentences, the site's chrome,
// the show's name and the related headlines that follow a body.
type words struct {
	lang      herald.Language
	subjects  []string
	verbs     []string
	objects   []string
	closings  []string
	chrome    []string
	show      string
	announce  string // an episode announcement; %s is the guest
	dateline  string // %s is dd.mm.yy
	headlines []string
	people    []string
}

var languages = []words{
	{
		lang:     herald.LangEnglish,
		subjects: []string{"The expert", "The economist", "The opposition politician", "Our guest", "The analyst", "The former minister"},
		verbs:    []string{"said that", "argued that", "warned that", "noted that", "recalled that", "stressed that"},
		objects: []string{"the budget leans on oil revenue more than ever", "the peace talks have stalled since spring",
			"young people keep leaving the regions", "the new gas contracts favour the buyers",
			"the court reform changed little for ordinary people", "prices in the capital rose faster than wages"},
		closings: []string{"in the \"Difficult Question\" program.", "on air last night.", "in an interview with our editors.", "during the discussion."},
		chrome:   []string{"Leave a review", "Difficult question", "Follow us on social networks", "News Line"},
		show:     "Difficult Question",
		announce: "Today at 21:00 in the \"Difficult Question\" program: a conversation with %s about the week's events.",
		dateline: "Baku/%s/Turan:",
		headlines: []string{"Parliament passes the budget in the first reading", "Flights delayed at the airport",
			"Central bank keeps its rate", "Talks resume in Brussels"},
		people: []string{"Azer Gasimly", "Natig Jafarli", "Ilham Shaban", "Gubad Ibadoghlu"},
	},
	{
		lang:     herald.LangAzerbaijani,
		subjects: []string{"Ekspert", "İqtisadçı", "Müxalifət siyasətçisi", "Qonağımız", "Analitik", "Keçmiş nazir"},
		verbs:    []string{"bildirib ki,", "hesab edir ki,", "xəbərdarlıq edib ki,", "qeyd edib ki,", "xatırladıb ki,", "vurğulayıb ki,"},
		objects: []string{"büdcə neft gəlirlərinə həmişəkindən çox arxalanır", "sülh danışıqları yazdan bəri dayanıb",
			"gənclər rayonları tərk etməkdə davam edir", "yeni qaz müqavilələri alıcıların xeyrinədir",
			"məhkəmə islahatı sadə insanlar üçün az şey dəyişib", "paytaxtda qiymətlər maaşlardan sürətlə artıb"},
		closings: []string{"\"Çətin sual\" proqramında.", "dünən axşam efirdə.", "redaksiyamıza müsahibəsində.", "müzakirə zamanı."},
		chrome:   []string{"Rəy bildirin", "Çətin sual", "Bizi sosial şəbəkələrdə izləyin", "Youtube səhifəsinin ünvanı:", "Xəbər lenti"},
		show:     "Çətin sual",
		announce: "Bu gün saat 21:00-da \"Çətin sual\" proqramında %s ilə həftənin hadisələrini müzakirə edəcəyik.",
		dateline: "Bakı/%s/Turan:",
		headlines: []string{"Milli Məclis büdcəni birinci oxunuşda qəbul edib", "Hava limanında reyslər gecikir",
			"Mərkəzi bank faiz dərəcəsini dəyişmədi", "Brüsseldə danışıqlar bərpa olunur"},
		people: []string{"Əli Həsənov", "Gülnarə Əliyeva", "Rauf Mirqədirov", "Natiq Cəfərli"},
	},
	{
		lang:     herald.LangRussian,
		subjects: []string{"Эксперт", "Экономист", "Оппозиционный политик", "Наш гость", "Аналитик", "Бывший министр"},
		verbs:    []string{"отметил, что", "считает, что", "предупредил, что", "напомнил, что", "подчеркнул, что", "заявил, что"},
		objects: []string{"бюджет опирается на нефтяные доходы сильнее прежнего", "мирные переговоры застыли с весны",
			"молодёжь продолжает уезжать из регионов", "новые газовые контракты выгодны покупателям",
			"судебная реформа мало что изменила для простых людей", "цены в столице росли быстрее зарплат"},
		closings: []string{"в программе «Трудный вопрос».", "вчера в эфире.", "в интервью нашей редакции.", "во время дискуссии."},
		chrome:   []string{"Оставить отзыв", "Трудный вопрос", "Подписывайтесь на нас в социальных сетях", "Лента новостей"},
		show:     "Трудный вопрос",
		announce: "Сегодня в 21:00 в программе «Трудный вопрос» — %s о событиях недели.",
		dateline: "Баку/%s/Туран:",
		headlines: []string{"Парламент принял бюджет в первом чтении", "В аэропорту задерживаются рейсы",
			"Центробанк сохранил ставку", "В Брюсселе возобновились переговоры"},
		people: []string{"Ильхам Шабан", "Азер Гасымлы", "Натиг Джафарли", "Губад Ибадоглу"},
	},
}

// WritePages writes n pages into dir, creating it: two in three plain text
// as the agency's scraper saves them (the body twice, the site's chrome,
// related headlines with their stamps, a dateline), one in three Markdown
// with front matter; English, Azerbaijani and Russian in turn; every tenth
// an episode announcement. Each page is unique, and the same n always
// gives the same pages. It fails when a file cannot be written.
func WritePages(dir string, n int) error {
	return writePages(n, func(int) string { return dir })
}

// writePages writes the n pages of WritePages, page i into dirOf(i).
func writePages(n int, dirOf func(i int) string) error {
	rng := rand.New(rand.NewPCG(2, 16))
	day := time.Date(2024, 2, 16, 9, 0, 0, 0, herald.AgencyZone())
	made := map[string]bool{}
	for i := range n {
		dir := dirOf(i)
		if !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("benchmark: %w", err)
			}
			made[dir] = true
		}
		w := languages[i%len(languages)]
		at := day.Add(time.Duration(i) * 7 * time.Minute)
		name, page := textPage(rng, w, i, at)
		if i%3 == 2 {
			name, page = markdownPage(rng, w, i, at)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(page), 0o644); err != nil {
			return fmt.Errorf("benchmark: %w", err)
		}
	}
	return nil
}

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

// paragraphs makes a body of 3 to 8 paragraphs, each of 2 to 4 sentences,
// the first carrying the page's number so that no two pages are alike.
func paragraphs(rng *rand.Rand, w words, i int) []string {
	out := make([]string, 3+rng.IntN(6))
	for p := range out {
		var b strings.Builder
		for s := range 2 + rng.IntN(3) {
			if s > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s %s %s %s", pick(rng, w.subjects), pick(rng, w.verbs), pick(rng, w.objects), pick(rng, w.closings))
		}
		if p == 0 {
			fmt.Fprintf(&b, " (%d)", i)
		}
		out[p] = b.String()
	}
	return out
}

// textPage is a page as the agency's scraper saves it: title, body, the
// body again, chrome, and the related headlines with their stamps.
func textPage(rng *rand.Rand, w words, i int, at time.Time) (string, string) {
	var b strings.Builder
	guest := pick(rng, w.people)
	fmt.Fprintf(&b, "%s: %s %d\n\n", guest, pick(rng, w.objects), i)
	body := paragraphs(rng, w, i)
	if i%10 == 0 {
		body = append([]string{fmt.Sprintf(w.announce, guest)}, body...)
	} else {
		body[0] = fmt.Sprintf(w.dateline, at.Format("02.01.06")) + " " + body[0]
	}
	for range 2 {
		for _, p := range body {
			b.WriteString(p + "\n\n")
		}
	}
	for _, c := range w.chrome {
		b.WriteString(c + "\n\n")
	}
	for k, h := range w.headlines {
		fmt.Fprintf(&b, "%s\n%s\n", h, at.Add(-time.Duration(k+1)*time.Hour).Format("02.01.2006 15:04"))
	}
	return fmt.Sprintf("%05d-%s.txt", i, w.lang), b.String()
}

// markdownPage is a page from the agency's CMS export: front matter, a
// heading, the body and a review prompt.
func markdownPage(rng *rand.Rand, w words, i int, at time.Time) (string, string) {
	var b strings.Builder
	guest := pick(rng, w.people)
	title := fmt.Sprintf("%s: %s", guest, pick(rng, w.objects))
	fmt.Fprintf(&b, "---\ntitle: %q\nlanguage: %s\nurl: https://example.org/%s/%d\npublished: %s\npeople:\n  - %s\n---\n\n",
		title, w.lang, w.lang, i, at.Format(time.RFC3339), guest)
	fmt.Fprintf(&b, "# %s\n\n", title)
	if i%10 == 5 {
		fmt.Fprintf(&b, w.announce+"\n\n", guest)
	}
	for _, p := range paragraphs(rng, w, i) {
		b.WriteString(p + "\n\n")
	}
	b.WriteString(w.chrome[0] + "\n")
	return fmt.Sprintf("%05d-%s.md", i, w.lang), b.String()
}
