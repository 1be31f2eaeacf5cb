package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// pageWant is what a clean import of one page under testdata/pages gives.
type pageWant struct {
	file    string
	title   string
	lead    string
	body    []string // every body paragraph, in order, each once
	absent  []string // chrome, teasers and opening lines that must be gone
	kind    herald.Kind
	lang    herald.Language
	program string // "" or ProgramName
	place   string
	date    string // published, as a day in Baku
	air     string // "2006-01-02 15:04" in Baku; "" when none
	held    bool   // stored for an editor, not posted on its own
	image   string
	people  []string
	chrome  []string // this source's own chrome lines (Options.Chrome)
}

// pagesNow is the import's clock: pages without a date of their own are
// published on 1 December 2026.
var pagesNow = time.Date(2026, 12, 1, 10, 0, 0, 0, agencyZone())

// pageSet holds pages written in the shapes the agency's site and other
// Azerbaijani news sites have as scrapers bring them (date lines with
// weekdays, "Last update", "N hours ago", breadcrumbs, section labels,
// story codes, teaser lists, "Read also", captions), in az, en and ru.
var pageSet = []pageWant{
	{file: "en-episode-weekday.txt",
		title: "Difficult Question: is the new housing code fair to tenants?",
		lead:  "On Saturday at 21:00 the Difficult Question program will ask lawyer Samir Aliyev and tenants' advocate Nigar Safarova whether the new housing code protects people who rent.",
		body: []string{"The code lets owners end a lease with one month's notice, and tenants' groups say that is too little.",
			"Send your questions in the comments below the video."},
		absent: []string{"Thursday, 3 December", "Turan:", "Leave a review", "News Line", "Parliament passes", "Snow closes"},
		kind:   herald.KindEpisode, lang: herald.LangEnglish, program: ProgramName, place: "Baku",
		date: "2026-12-03", air: "2026-12-05 21:00"},
	{file: "en-commentary-image.md",
		title: `Vusal Karimov: "The manat will hold until spring"`,
		lead:  "Economist Vusal Karimov told the Difficult Question program that the central bank has enough reserves to keep the manat stable through the winter.",
		body: []string{"He expects oil prices to stay above the level assumed in the budget, which leaves the government room to spend without borrowing.",
			`"The risk is not the exchange rate but prices in the shops," Karimov said.`},
		absent: []string{"![", "-03D-", "Politics", "Ministry of Justice", "Masazir", "(Turan)"},
		kind:   herald.KindCommentary, lang: herald.LangEnglish, program: ProgramName, place: "Baku",
		date: "2026-11-27", image: "https://news.example.az/media/2026/11/karimov.webp"},
	{file: "en-qa-interview.txt",
		title: `"Nobody reads the small print": a consumer lawyer on bank loans`,
		lead:  "Consumer lawyer Aytan Guliyeva answered Turan's questions about the new rules for consumer loans.",
		body: []string{"Q: What changes for a borrower from January?",
			"A: Banks must show the full yearly cost of a loan on the first page of the contract, in the same type size as the rest.",
			"Q: Will that stop people from taking loans they cannot repay?",
			"A: Not by itself. Most borrowers sign in a hurry, and nobody reads the small print.",
			"Q: What should a borrower check first?",
			"A: The penalty for a late payment, because that is where the real cost hides."},
		absent: []string{"Question-answer", "Follow us"},
		kind:   herald.KindNews, lang: herald.LangEnglish, date: "2026-12-01"},
	{file: "en-news-last-update.txt",
		title: "Gas prices for households will not change this winter",
		lead:  "The Tariff Council decided on Monday to keep gas prices for households at the current level until the end of March.",
		body: []string{"The council said the decision takes into account the rise in food prices over the autumn.",
			"Businesses will pay four percent more from January, as agreed in the summer."},
		absent: []string{"Home / Economy", "Last update", "3 hours ago", "Read also", "Georgia sign", "Oil output"},
		kind:   herald.KindNews, lang: herald.LangEnglish, date: "2026-11-30"},
	{file: "en-news-numbered-list.txt",
		title: "Five things the new traffic rules change for drivers in Baku",
		lead:  "The new traffic rules that take effect on 1 January change five things that every driver in the capital will notice.",
		body: []string{"1) Fines for using a phone while driving double.",
			"2) Cameras will check the speed between two points, not at one spot.",
			"3) Parking on bus lanes costs the same as running a red light.",
			"4) Drivers get a warning by text message before a fine is issued.",
			"5) Foreign licences must be exchanged within six months.",
			"The traffic police say the rules were tested in Ganja for a year before they were adopted for the whole country."},
		absent: []string{"Tbilisi and Baku agree", "Cotton harvest", "chess players"},
		kind:   herald.KindNews, lang: herald.LangEnglish, date: "2026-12-01"},
	{file: "en-episode-tomorrow.html",
		title:  "Tomorrow in Difficult Question: the price of a university degree",
		lead:   "Tomorrow at 21:00 the Difficult Question program will discuss tuition fees with rector Elmira Hasanova and student Orkhan Bayramli.",
		body:   []string{"Fees at state universities have risen by a third in two years, while grants have stayed the same."},
		absent: []string{"Home", "Share on Facebook", "© Turan"},
		kind:   herald.KindEpisode, lang: herald.LangEnglish, program: ProgramName,
		date: "2026-12-04", air: "2026-12-05 21:00", image: "https://news.example.az/media/2026/12/tuition.jpg"},
	{file: "en-episode-named-date.json",
		title: "Difficult Question on 10 December: what the census will show",
		lead:  "The Difficult Question program will discuss the coming census on 10 December at 21:00 with demographer Arzu Mammadova.",
		body:  []string{"The last census was held twelve years ago, and many villages have emptied since then."},
		kind:  herald.KindEpisode, lang: herald.LangEnglish, program: ProgramName,
		date: "2026-12-01", air: "2026-12-10 21:00"},
	{file: "en-episode-noday.txt",
		title: "Difficult Question at 21:00: who runs the city's parks?",
		lead:  "At 21:00 the Difficult Question program will talk to landscape architect Farhad Aliyev about the new company that manages Baku's parks.",
		body:  []string{"Questions can be sent in the comments."},
		kind:  herald.KindEpisode, lang: herald.LangEnglish, program: ProgramName, date: "2026-12-01", held: true},
	{file: "en-news-guests-list.txt",
		title: "Round table on press freedom to be held in Baku",
		lead:  "A round table on the state of the press in the region will be held at the Press Council on Wednesday, its organisers said.",
		body: []string{"Journalists from three countries will discuss the laws on media registration adopted in the past two years.",
			"Speakers:", "Rauf Mirkadirov", "Sevinj Osmanqizi", "Ulvi Hasanli"},
		kind: herald.KindNews, lang: herald.LangEnglish, date: "2026-12-01"},
	{file: "en-news-wrapped.md",
		title: "Metro extension to Khirdalan delayed by a year",
		lead:  "The extension of the green line to Khirdalan will open a year later than planned, the metro's management said on Tuesday, because the contractor has not finished the tunnel under the ring road.",
		body:  []string{"Work on the two new stations is almost complete, but trains cannot run until the tunnel is dry and the signals are tested. Residents of Khirdalan will keep using buses until then."},
		kind:  herald.KindNews, lang: herald.LangEnglish, date: "2026-12-01"},
	{file: "en-episode-past.txt",
		title: "Difficult Question: the recording of the debate on school meals",
		lead:  "Yesterday at 21:00 the Difficult Question program hosted a debate on free school meals with nutritionist Lala Ismayilova and headmaster Akif Rzayev.",
		body:  []string{"The guests disagreed on whether the state or the parents should pay for lunches in primary schools."},
		kind:  herald.KindEpisode, lang: herald.LangEnglish, program: ProgramName, place: "Baku",
		date: "2026-11-25", air: "2026-11-24 21:00"},

	{file: "az-episode-today.txt",
		title:  "«Çətin sual»: kənd təsərrüfatında subsidiyalar kimə çatır?",
		lead:   "«Çətin sual» verilişinin yeni buraxılışı bu gün saat 21:00-da efirə gedəcək. Qonaqlar aqrar ekspert Vahid Məmmədov və fermer Sevinc Quliyevadır.",
		body:   []string{"Söhbət subsidiyaların bölgüsündən və kiçik təsərrüfatların problemlərindən gedəcək."},
		absent: []string{"Cümə axşamı, 3 dekabr", "Rəy bildirin", "Xəbər lenti", "Bizi sosial"},
		kind:   herald.KindEpisode, lang: herald.LangAzerbaijani, program: ProgramName,
		date: "2026-12-03", air: "2026-12-03 21:00"},
	{file: "az-episode-weekday.txt",
		title: "Çətin sual: yeni vergi məcəlləsi kiçik biznesə nə gətirir?",
		lead:  "Çərşənbə axşamı saat 21:00-da «Çətin sual» verilişində iqtisadçı Rəşad Həsənov və sahibkar Aynur Əliyeva yeni vergi dəyişikliklərini müzakirə edəcəklər.",
		body:  []string{"Dəyişikliklər yanvarın 1-dən qüvvəyə minir və dövriyyəsi az olan müəssisələrə toxunur."},
		kind:  herald.KindEpisode, lang: herald.LangAzerbaijani, program: ProgramName, place: "Bakı",
		date: "2026-11-30", air: "2026-12-01 21:00"},
	{file: "az-commentary-caption.txt",
		title: `Elçin Qasımlı: "Seçkidən əvvəl dialoq lazımdır"`,
		lead:  "Siyasi şərhçi Elçin Qasımlı «Çətin sual» verilişində bələdiyyə seçkilərinə hazırlığı şərh edib.",
		body: []string{"Onun fikrincə, müxalifət partiyaları ilə hakimiyyət arasında açıq dialoq olmadan seçkilərə inam artmayacaq.",
			"Bəs dialoqa kim başlamalıdır?",
			"Qasımlının sözlərinə görə, ilk addımı seçki komissiyası atmalı və müşahidəçilərin işinə şərait yaratmalıdır."},
		absent: []string{"mənbələrdən foto", "Youtube", "Noyabrın 27-də"},
		kind:   herald.KindCommentary, lang: herald.LangAzerbaijani, program: ProgramName, place: "Bakı", date: "2026-11-28"},
	{file: "az-news-tarix.txt",
		title:  "Gəncədə yeni uşaq xəstəxanası açıldı",
		lead:   "Gəncə şəhərində 150 çarpayılıq yeni uşaq xəstəxanası istifadəyə verilib.",
		body:   []string{"Xəstəxanada cərrahiyyə, kardiologiya və reanimasiya şöbələri fəaliyyət göstərəcək."},
		absent: []string{"Tarix:", "Bölmə", "Həmçinin oxuyun", "Şəmkirdə", "Lənkəranda"},
		kind:   herald.KindNews, lang: herald.LangAzerbaijani, date: "2026-11-29"},
	{file: "az-news-ago.md",
		title: "Milli Məclis media qanununa dəyişiklikləri müzakirə edəcək",
		lead:  `Milli Məclisin gələn həftəki iclasında "Media haqqında" qanuna dəyişikliklər ilk oxunuşda müzakirə olunacaq.`,
		body: []string{"Dəyişikliklərə görə, onlayn nəşrlər reyestrə düşmək üçün əlavə sənədlər təqdim etməli olacaqlar.",
			"Jurnalist təşkilatları isə layihənin ictimai müzakirəyə çıxarılmasını tələb edirlər."},
		absent: []string{"5 saat əvvəl", "Siyasət", "-02D-", "yağışlı hava", "idman kompleksi"},
		kind:   herald.KindNews, lang: herald.LangAzerbaijani, date: "2026-12-01"},
	{file: "az-qa.txt",
		title: "Kommunal xərclər niyə artır: enerji ekspertinə dörd sual",
		lead:  "Enerji eksperti İlham Şaban «Çətin sual» verilişində dinləyicilərin kommunal xərclərlə bağlı suallarını cavablandırıb.",
		body: []string{"Qışda qaz pulu niyə iki dəfə artır?",
			"Ekspertin sözlərinə görə, səbəb tarifdə deyil, istehlakın soyuq aylarda kəskin artmasındadır.",
			"Sayğaclar düzgün işləyirmi?",
			"Şaban bildirib ki, köhnə sayğacların yoxlanılması vacibdir və bunu sakin özü tələb edə bilər."},
		absent: []string{"Son yenilənmə", "Sual-cavab"},
		kind:   herald.KindCommentary, lang: herald.LangAzerbaijani, program: ProgramName, date: "2026-12-01"},
	{file: "az-episode-noday.txt",
		title: "«Çətin sual» saat 21:00-da: məktəblərdə forma məcburi olmalıdırmı?",
		lead:  "Saat 21:00-da «Çətin sual» verilişində təhsil eksperti Kamran Əsədov və valideyn Lalə Hüseynova məktəb formasını müzakirə edəcəklər.",
		body:  []string{"Suallarınızı şərhlərdə yaza bilərsiniz."},
		kind:  herald.KindEpisode, lang: herald.LangAzerbaijani, program: ProgramName, date: "2026-12-01", held: true},
	{file: "az-news-azadliq.txt",
		title: "Qubada daşqın: kəndlər yolsuz qalıb",
		lead:  "Quba rayonunda güclü yağışlardan sonra Qudyalçay daşıb və üç kəndi rayon mərkəzinə birləşdirən körpü sıradan çıxıb.",
		body: []string{"Sakinlər deyirlər ki, ərzaq və dərman gətirmək üçün on kilometr dolama yolla getməli olurlar.",
			"***",
			"Rayon icra hakimiyyəti müvəqqəti körpünün bir həftəyə quraşdırılacağını bildirib."},
		absent: []string{"Keçid linkləri", "Bakı vaxtı", "Azadlıq Radiosu", "körpünün yerində qalıblar"},
		kind:   herald.KindNews, lang: herald.LangAzerbaijani, date: "2026-11-28"},
	{file: "az-episode-tomorrow.json",
		title: "Sabah «Çətin sual»-da: icarə haqları niyə bahalaşır?",
		lead:  "Sabah saat 21:00-da «Çətin sual» verilişində daşınmaz əmlak eksperti Ramil Osmanlı və kirayəçilər birliyinin sədri Nərgiz Bağırova icarə bazarını müzakirə edəcəklər.",
		body:  []string{"Son bir ildə Bakıda iki otaqlı mənzilin icarə haqqı orta hesabla 30 faiz artıb."},
		kind:  herald.KindEpisode, lang: herald.LangAzerbaijani, program: ProgramName,
		date: "2026-12-02", air: "2026-12-03 21:00"},
	{file: "az-news-numbered.txt",
		title: "Bakıda parklanma qaydaları dəyişir: üç əsas yenilik",
		lead:  "Bakı Nəqliyyat Agentliyi parklanma qaydalarına dəyişiklikləri açıqlayıb.",
		body: []string{"1. Mərkəzdə ödənişli parklanma saat 22:00-a qədər uzadılır.",
			"2. Sakinlər üçün aylıq abunə tətbiq olunacaq.",
			"3. Əlilliyi olan sürücülər üçün yerlərin sayı iki dəfə artırılır.",
			"Agentlik dəyişikliklərin fevraldan qüvvəyə minəcəyini bildirib."},
		absent: []string{"Digər xəbərlər", "Neft qiymətləri", "ipək festivalı"},
		kind:   herald.KindNews, lang: herald.LangAzerbaijani, date: "2026-12-01"},
	{file: "az-commentary-frontmatter.md",
		title: `Əli Kərimli: "Dialoq üçün şərt yoxdur"`,
		lead:  "Müxalifət lideri Əli Kərimli hakimiyyətlə dialoq təklifinə münasibət bildirib.",
		body:  []string{"Onun sözlərinə görə, siyasi məhbuslar azad edilmədən dialoqdan danışmaq mümkün deyil."},
		kind:  herald.KindCommentary, lang: herald.LangAzerbaijani, program: ProgramName, date: "2026-11-29",
		people: []string{"Əli Kərimli", "Nigar Cəfərli"}},

	{file: "ru-episode-weekday.txt",
		title:  "«Сложный вопрос»: кто ответит за пробки на въезде в Баку?",
		lead:   "В четверг в 21:00 в программе «Сложный вопрос» урбанист Ниджат Гусейнов и депутат Эльмира Алиева обсудят, почему утренние пробки на въезде в город становятся длиннее.",
		body:   []string{"Вопросы можно задать в комментариях под анонсом."},
		absent: []string{"Понедельник", "Туран:", "Оставить отзыв", "Подписывайтесь"},
		kind:   herald.KindEpisode, lang: herald.LangRussian, program: ProgramName, place: "Баку",
		date: "2026-11-30", air: "2026-12-03 21:00"},
	{file: "ru-qa-update.txt",
		title: "Зачем нужен новый налог на роскошь: четыре вопроса юристу",
		lead:  "Юрист Гюнай Рагимова в программе «Трудный вопрос» ответила на вопросы слушателей о новом налоге на дорогие автомобили и квартиры.",
		body: []string{"Кто будет платить новый налог?",
			"Владельцы автомобилей дороже ста тысяч манатов и квартир площадью больше двухсот метров.",
			"Когда начнут собирать налог?",
			"По словам Рагимовой, первые уведомления придут весной, а платить нужно будет до конца года."},
		absent: []string{"Последнее обновление", "2 часа назад", "Экономика", "-07В02-", "Нефтяной фонд", "фестиваль шелка"},
		kind:   herald.KindCommentary, lang: herald.LangRussian, program: ProgramName, date: "2026-12-01"},
	{file: "ru-commentary-image.md",
		title:  "Зардушт Ализаде: «Переговоры зашли в тупик»",
		lead:   "Политолог Зардушт Ализаде в программе «Сложный вопрос» оценил ход переговоров о мирном договоре.",
		body:   []string{"По его мнению, стороны не сдвинутся с места, пока не договорятся о порядке делимитации границы."},
		absent: []string{"Читайте также", "Ереван предложил", "визита посредников", "(Туран)"},
		kind:   herald.KindCommentary, lang: herald.LangRussian, program: ProgramName, place: "Баку",
		date: "2026-11-26", image: "https://news.example.az/media/2026/11/alizade.jpg"},
	{file: "ru-news-breadcrumb.txt",
		title:  "В Баку откроют три новых детских сада",
		lead:   "Мэрия Баку сообщила, что до конца года в Хатаинском и Сабунчинском районах откроются три детских сада на 600 мест.",
		body:   []string{"Очередь в детские сады в этих районах остается самой длинной в городе."},
		absent: []string{"Главная", "09:15", "Лента новостей", "подорожал проезд", "снег в горах"},
		kind:   herald.KindNews, lang: herald.LangRussian, date: "2026-11-28"},
	{file: "ru-episode-today.txt",
		title: "Сегодня в «Трудном вопросе»: почему растут цены на лекарства",
		lead:  "Сегодня в 21:00 в эфире программы «Трудный вопрос» фармацевт Лейла Абдуллаева и врач Рамин Бабаев объяснят, почему лекарства подорожали за год на четверть.",
		body:  []string{"Присылайте свои вопросы."},
		kind:  herald.KindEpisode, lang: herald.LangRussian, program: ProgramName,
		date: "2026-12-02", air: "2026-12-02 21:00"},
	{file: "ru-episode-noday.txt",
		title: "«Трудный вопрос» в 21:00: что будет с ипотекой?",
		lead:  "В 21:00 в программе «Трудный вопрос» банкир Фарид Исмайлов расскажет, как изменятся условия ипотеки после повышения ставки.",
		body:  []string{"Ждем ваши вопросы в комментариях."},
		kind:  herald.KindEpisode, lang: herald.LangRussian, program: ProgramName, date: "2026-12-01", held: true},
	{file: "ru-news-single-lines.md",
		title: "В Сумгайыте построят новый мусороперерабатывающий завод",
		lead:  "Правительство одобрило строительство в Сумгайыте завода, который будет перерабатывать до 500 тысяч тонн бытовых отходов в год.",
		body: []string{"Завод построит иностранная компания, которая получит право управлять им в течение двадцати лет, после чего он перейдет государству.",
			"Экологи напоминают, что старая свалка на окраине города горит почти каждое лето и отравляет воздух в соседних поселках.",
			"Жители поселков давно добиваются ее закрытия и рекультивации земли."},
		kind: herald.KindNews, lang: herald.LangRussian, date: "2026-12-01"},
	{file: "ru-commentary-numbered.txt",
		title: "Три причины, по которым дорожает жилье: мнение экономиста",
		lead:  "Экономист Натиг Джафарли в программе «Сложный вопрос» назвал три причины роста цен на жилье в столице.",
		body: []string{"1. Строительные материалы подорожали вслед за курсом соседних валют.",
			"2. Банки снизили ставки по ипотеке, и спрос вырос.",
			"3. Новых домов в центре почти не строят.",
			"Джафарли считает, что цены стабилизируются не раньше чем через год."},
		absent: []string{"новый рынок", "Сборная по борьбе", "Курс маната"},
		kind:   herald.KindCommentary, lang: herald.LangRussian, program: ProgramName, date: "2026-12-01"},
	{file: "ru-news-json.json",
		title:  "В Ленкорани завершился сбор чая",
		lead:   "В Ленкоранском районе завершился сбор чайного листа: фермеры собрали на десятую часть больше, чем год назад.",
		body:   []string{"Министерство сельского хозяйства связывает рост с теплой весной и новыми посадками."},
		absent: []string{"Читайте также", "Астаре", "цитрусовые"},
		kind:   herald.KindNews, lang: herald.LangRussian, date: "2026-11-30"},
	{file: "ru-qa-stamps.html",
		title: "Как получить пособие по уходу за ребенком: ответы юриста",
		lead:  "Юрист Саида Гасанова ответила на самые частые вопросы читателей о пособиях.",
		body: []string{"Кто имеет право на пособие?",
			"Любой из родителей, который официально работает и ухаживает за ребенком до трех лет.",
			"Сколько времени занимает оформление?",
			"Обычно две недели с момента подачи заявления через портал."},
		absent: []string{"Главная", "1 декабря 2026", "Читайте также", "Пенсии", "налог онлайн"},
		kind:   herald.KindNews, lang: herald.LangRussian, date: "2026-12-01"},
	{file: "ru-news-inline-also.md",
		title: "В Гяндже ограничат движение грузовиков в центре",
		lead:  "Гянджинская мэрия с 15 декабря запретит въезд грузовиков в центр города днем, сообщили в пресс-службе.",
		body: []string{"Грузовые машины смогут заезжать в центр только с 22:00 до 7:00.",
			"Водители, нарушившие запрет, будут платить штраф в 200 манатов."},
		absent: []string{"Читайте также", "автовокзал"},
		kind:   herald.KindNews, lang: herald.LangRussian, date: "2026-12-01"},
	{file: "en-news-read-also-inline.txt",
		title: "Azerbaijan raises the minimum pension from January",
		lead:  "The minimum pension will rise by eight percent from 1 January, the Ministry of Labour said on Tuesday.",
		body: []string{"About 1.2 million pensioners will receive the higher payment without having to apply.",
			"The ministry said the rise would cost the state budget about 150 million manats a year."},
		absent: []string{"Read also", "social budget", "Latest news", "OPEC", "Greater Caucasus"},
		kind:   herald.KindNews, lang: herald.LangEnglish, place: "Baku", date: "2026-12-01"},
	{file: "en-news-portal.txt",
		title:  "Customs clears the first trucks through the new Astara terminal",
		lead:   "The new customs terminal at Astara on the border with Iran cleared its first forty trucks on Monday, the State Customs Committee said.",
		body:   []string{"The terminal is meant to cut the waiting time at the border from two days to a few hours."},
		absent: []string{"top of page", "Online Payment", "09:55", "Important news", "Ceasefire", "Sabirabad"},
		kind:   herald.KindNews, lang: herald.LangEnglish, date: "2026-12-01"},
	{file: "en-news-newsletter.txt", // a menu label no chrome list knows, over the headline
		title: "Ganja opens a children's hospital with two hundred beds",
		lead:  "A new children's hospital with two hundred beds opened in Ganja on Tuesday, the Health Ministry said.",
		body: []string{"The hospital has its own surgery, a maternity ward and a laboratory that can run tests for the whole region.",
			"Until now, children from the western districts who needed an operation were taken to Baku."},
		absent: []string{"Subscribe"},
		kind:   herald.KindNews, lang: herald.LangEnglish, place: "Ganja", date: "2026-12-01"},
	{file: "az-interview-sidebar.txt",
		title: `Səbinə Nəsirova: "Sığorta şirkətləri qaydaları sadə dildə izah etməlidir"`,
		lead:  "Sığorta üzrə ekspert Səbinə Nəsirova icbari sığorta qaydalarındakı dəyişikliklər barədə suallarımızı cavablandırıb.",
		body: []string{"- Yeni qaydalar sürücülər üçün nəyi dəyişir?",
			"- Əsas dəyişiklik odur ki, qəza zamanı zərərin ödənilməsi müddəti on beş günə endirilir.",
			"- Bəs sığorta haqqı artacaqmı?",
			"- Hələlik yox, tariflər gələn ilin ortasına qədər eyni qalacaq."},
		absent: []string{"ipək yarmarkası", "küləkli hava", "Bütün xəbərlər", "MÜSAHİBƏ", "Tarix:"},
		kind:   herald.KindNews, lang: herald.LangAzerbaijani, date: "2026-11-30"},
}

// pagesFigure is the fidelity figure of the last TestPages run, printed
// by TestMain after every test's result so that it closes the output.
var pagesFigure string

func TestMain(m *testing.M) {
	code := m.Run()
	if pagesFigure != "" {
		fmt.Println(pagesFigure)
	}
	os.Exit(code)
}

// TestPages imports every page of the set and compares it with what a
// careful editor would have cut by hand. Its fidelity figure, "pages: N/M
// clean", is the last line of the test binary's output.
func TestPages(t *testing.T) {
	clean := 0
	for _, w := range pageSet {
		ok := t.Run(w.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "pages", w.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(w.file, data, Options{Source: "pages", Chrome: w.chrome, Now: func() time.Time { return pagesNow }})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, p := range pageProblems(a, w) {
				t.Error(p)
			}
		})
		if ok {
			clean++
		}
	}
	if len(pageSet) < 30 {
		t.Errorf("the page set has %d pages, want at least 30", len(pageSet))
	}
	pagesFigure = fmt.Sprintf("pages: %d/%d clean", clean, len(pageSet))
}

// pageProblems lists where article a differs from w.
func pageProblems(a *herald.Article, w pageWant) []string {
	var bad []string
	check := func(what, got, want string) {
		if got != want {
			bad = append(bad, fmt.Sprintf("%s is %q, want %q", what, got, want))
		}
	}
	check("title", a.Title, w.title)
	check("lead", a.Lead, w.lead)
	if got := a.Paragraphs(); !slices.Equal(got, w.body) {
		bad = append(bad, fmt.Sprintf("body is\n%q\nwant\n%q", got, w.body))
	}
	all := a.Title + "\n" + a.Lead + "\n" + a.Body
	for _, s := range w.absent {
		if strings.Contains(all, s) {
			bad = append(bad, fmt.Sprintf("%q is still there", s))
		}
	}
	check("kind", string(a.Kind), string(w.kind))
	check("language", string(a.Language), string(w.lang))
	check("program", a.Program, w.program)
	check("place", a.Place, w.place)
	check("date", a.PublishedAt.In(agencyZone()).Format("2006-01-02"), w.date)
	air := ""
	if a.AirAt != nil {
		air = a.AirAt.In(agencyZone()).Format("2006-01-02 15:04")
	}
	check("air time", air, w.air)
	if held := a.NeedsEditor != ""; held != w.held {
		bad = append(bad, fmt.Sprintf("held for an editor: %v (%q), want %v", held, a.NeedsEditor, w.held))
	}
	if code, _ := herald.ParseHeld(a.NeedsEditor); a.NeedsEditor != "" && code == "" {
		bad = append(bad, fmt.Sprintf("held for an editor with %q, not a reason code each interface can say in its language", a.NeedsEditor))
	}
	check("image", a.ImageURL, w.image)
	if w.people != nil && !slices.Equal(a.People, w.people) {
		bad = append(bad, fmt.Sprintf("people are %q, want %q", a.People, w.people))
	}
	return bad
}
