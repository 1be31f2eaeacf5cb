package bot

import "github.com/herald-news/herald"

// The sentences of durable notices, reader throttling and counted audit
// entries, kept apart from the main catalogue (and merged into it at
// start) so that the two grow without getting in each other's way.
const (
	msgNoticeUnknownMany msg = iota + 1000
	msgNoticeFailedMany
	msgNoticeMore
	msgNoticeMuted
	msgBtnSettle
	msgBtnFailed
	msgAuditTimes
	msgReaderSlowDown
)

var noticeCatalogue = map[herald.Language]map[msg]string{
	herald.LangEnglish: {
		msgNoticeUnknownMany: "❓ <b>%d posts may or may not have gone out</b>\nCheck each channel, then settle them with /unknown:",
		msgNoticeFailedMany:  "⚠️ <b>%d posts failed</b>\n/failed lists them, each with a button to retry:",
		msgNoticeMore:        "…and %d more: /unknown and /failed list them all.",
		msgNoticeMuted:       "🔇 <b>A reader was muted</b>\n%[1]s (id %[2]d) sent %[3]d messages and presses within %[4]s. herald ignores them until %[5]s.",
		msgBtnSettle:         "Settle them",
		msgBtnFailed:         "Failed posts",
		msgAuditTimes:        "×%d, until %s",
		msgReaderSlowDown:    "You are sending messages faster than I can take them in. Please wait a minute, then try again.",
	},
	herald.LangAzerbaijani: {
		msgNoticeUnknownMany: "❓ <b>%d yazının göndərilib-göndərilmədiyi bilinmir</b>\nHər kanala baxın, sonra /unknown ilə həll edin:",
		msgNoticeFailedMany:  "⚠️ <b>%d yazı göndərilə bilmədi</b>\n/failed onları göstərir, hər birinin yanında yenidən cəhd düyməsi var:",
		msgNoticeMore:        "…və daha %d yazı: hamısı /unknown və /failed-dədir.",
		msgNoticeMuted:       "🔇 <b>Oxucu müvəqqəti susduruldu</b>\n%[1]s (id %[2]d) %[4]s ərzində %[3]d mesaj və düymə basışı göndərdi. %[5]s-dək ondan gələnlərə baxılmayacaq.",
		msgBtnSettle:         "Həll et",
		msgBtnFailed:         "Uğursuz yazılar",
		msgAuditTimes:        "×%d, %s-dək",
		msgReaderSlowDown:    "Mesajları qəbul edə bildiyimdən daha tez göndərirsiniz. Bir dəqiqə gözləyin, sonra yenidən cəhd edin.",
	},
	herald.LangRussian: {
		msgNoticeUnknownMany: "❓ <b>Публикации под вопросом: %d</b>\nНеизвестно, вышли ли они. Проверьте каналы и решите через /unknown:",
		msgNoticeFailedMany:  "⚠️ <b>Не удалось отправить публикации: %d</b>\nВ /failed они все, у каждой есть кнопка для повтора:",
		msgNoticeMore:        "…и ещё %d: все они в /unknown и /failed.",
		msgNoticeMuted:       "🔇 <b>Читатель временно заглушён</b>\n%[1]s (id %[2]d) прислал за %[4]s сообщений и нажатий: %[3]d. До %[5]s herald их не читает.",
		msgBtnSettle:         "Решить",
		msgBtnFailed:         "Неудачные публикации",
		msgAuditTimes:        "×%d, до %s",
		msgReaderSlowDown:    "Вы присылаете сообщения быстрее, чем я успеваю их принять. Подождите минуту и попробуйте снова.",
	},
}

func init() {
	for lang, ms := range noticeCatalogue {
		for k, v := range ms {
			catalogue[lang][k] = v
		}
	}
}
