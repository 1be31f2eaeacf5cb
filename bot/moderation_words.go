package bot

import (
	"fmt"

	"github.com/herald-news/herald"
)

// mmsg names a sentence of moderation and statistics, for editors.
type mmsg int

// Moderation and statistics sentences.
const (
	msgReviewsEmpty mmsg = iota
	msgReviewsHeader
	msgReviewsLegend
	msgReviewSpam
	msgReviewApproved
	msgReviewRejected
	msgReaderBanned
	msgStatsHeader
	msgStatsBody
	msgStatsReactions
	msgStatsNone
	msgChartRatings
	msgChartPerDay
	msgDigestHeader
)

// modWords holds them by language. Read-only.
var modWords = map[herald.Language]map[mmsg]string{
	herald.LangEnglish: {
		msgReviewsEmpty:   "No reviews are waiting for moderation.",
		msgReviewsHeader:  "<b>Readers' reviews</b> · the latest %d of %d",
		msgReviewsLegend:  "✔ approve · ✖ reject · ⛔ ban the reader (their reviews are dropped from then on)",
		msgReviewSpam:     "the same text was left on other articles",
		msgReviewApproved: "Review #%d approved.",
		msgReviewRejected: "Review #%d rejected.",
		msgReaderBanned:   "%s is banned: their reviews will be dropped.",
		msgStatsHeader:    "<b>Readers · %s</b>",
		msgStatsBody:      "Reviews: %d (pending: %d)\nRated: %d · average %.1f of 5\nWith comments: %d",
		msgStatsReactions: "Reactions: %s",
		msgStatsNone:      "No reviews yet for %s.",
		msgChartRatings:   "Ratings",
		msgChartPerDay:    "Reviews per day",
		msgDigestHeader:   "<b>The week in readers' reviews</b>",
	},
	herald.LangAzerbaijani: {
		msgReviewsEmpty:   "Moderasiya gözləyən rəy yoxdur.",
		msgReviewsHeader:  "<b>Oxucu rəyləri</b> · son %d / %d",
		msgReviewsLegend:  "✔ təsdiqlə · ✖ rədd et · ⛔ oxucunu blokla (bundan sonra rəyləri qəbul edilməyəcək)",
		msgReviewSpam:     "eyni mətn başqa yazılara da yazılıb",
		msgReviewApproved: "#%d rəyi təsdiqləndi.",
		msgReviewRejected: "#%d rəyi rədd edildi.",
		msgReaderBanned:   "%s bloklandı: rəyləri qəbul edilməyəcək.",
		msgStatsHeader:    "<b>Oxucular · %s</b>",
		msgStatsBody:      "Rəylər: %d (gözləyən: %d)\nQiymətləndirən: %d · orta qiymət 5 üzərindən %.1f\nŞərhli: %d",
		msgStatsReactions: "Reaksiyalar: %s",
		msgStatsNone:      "%s üçün hələ rəy yoxdur.",
		msgChartRatings:   "Qiymətlər",
		msgChartPerDay:    "Günlük rəylər",
		msgDigestHeader:   "<b>Həftənin oxucu rəyləri</b>",
	},
	herald.LangRussian: {
		msgReviewsEmpty:   "Отзывов, ждущих модерации, нет.",
		msgReviewsHeader:  "<b>Отзывы читателей</b> · последние %d из %d",
		msgReviewsLegend:  "✔ одобрить · ✖ отклонить · ⛔ заблокировать читателя (его отзывы больше не принимаются)",
		msgReviewSpam:     "тот же текст оставлен под другими статьями",
		msgReviewApproved: "Отзыв #%d одобрен.",
		msgReviewRejected: "Отзыв #%d отклонён.",
		msgReaderBanned:   "%s заблокирован: его отзывы больше не принимаются.",
		msgStatsHeader:    "<b>Читатели · %s</b>",
		msgStatsBody:      "Отзывов: %d (ждут модерации: %d)\nС оценкой: %d · средняя %.1f из 5\nС комментарием: %d",
		msgStatsReactions: "Реакции: %s",
		msgStatsNone:      "Отзывов за %s пока нет.",
		msgChartRatings:   "Оценки",
		msgChartPerDay:    "Отзывы по дням",
		msgDigestHeader:   "<b>Отзывы читателей за неделю</b>",
	},
}

// mtr returns moderation sentence m in lang, formatted with args.
func mtr(lang herald.Language, m mmsg, args ...any) string {
	s, ok := modWords[lang][m]
	if !ok {
		s = modWords[herald.LangEnglish][m]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
