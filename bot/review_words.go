package bot

import "github.com/herald-news/herald"

// rmsg names a sentence of the readers' review conversation.
type rmsg int

// The readers' sentences, in words a newsroom would be proud of.
const (
	rAskRating rmsg = iota
	rAskRatingAgain
	rAskComment
	rThanks
	rThanksNoComment
	rTooLong
	rBadLink
	rUnpublished
	rSlowDown
	rNoSession
	rForgotten
	rNothingToForget
	rSkip
	rRated
)

// readerWords holds the readers' sentences by language. Read-only.
var readerWords = map[herald.Language]map[rmsg]string{
	herald.LangEnglish: {
		rAskRating:       "Thank you for reading «%s».\n\nHow would you rate it? Choose from one star to five.",
		rAskRatingAgain:  "You rated «%s» %d of 5 before. Choose again to change your rating.",
		rAskComment:      "Thank you! Would you like to add a few words? Write them in a message — what convinced you, what was missing, what we should ask next time. Or press Skip.",
		rThanks:          "Thank you — your review has reached the newsroom. To change it, open the “Leave a review” link under the post again.",
		rThanksNoComment: "Thank you — your rating has reached the newsroom. To change it, open the “Leave a review” link under the post again.",
		rTooLong:         "That is a little long: %d characters, and a review can have up to %d. Could you shorten it and send it again? I have kept your text so far.",
		rBadLink:         "This link doesn't lead to a piece I can find. Please open “Leave a review” under a post in our channel.",
		rUnpublished:     "This piece is no longer published, so it can't be reviewed. Thank you for wanting to.",
		rSlowDown:        "You have left several reviews in the last few minutes. Please come back a little later.",
		rNoSession:       "To review a piece, open “Leave a review” under a post in our channel.",
		rForgotten:       "Done: %d of your reviews were deleted, and herald keeps nothing else about you.",
		rNothingToForget: "herald keeps no reviews of yours.",
		rSkip:            "Skip",
		rRated:           "Your rating: %s",
	},
	herald.LangAzerbaijani: {
		rAskRating:       "«%s» yazısını oxuduğunuz üçün təşəkkür edirik.\n\nOnu necə qiymətləndirərdiniz? Birdən beşə qədər ulduz seçin.",
		rAskRatingAgain:  "Siz əvvəl «%s» yazısına 5 üzərindən %d vermişdiniz. Dəyişmək üçün yenidən seçin.",
		rAskComment:      "Təşəkkür edirik! Bir neçə söz əlavə etmək istərdinizmi? Mesajla yazın — sizi nə inandırdı, nə çatışmadı, növbəti dəfə nəyi soruşmalıyıq. Ya da «Keç» düyməsini basın.",
		rThanks:          "Təşəkkür edirik — rəyiniz redaksiyaya çatdı. Onu dəyişmək üçün yazının altındakı «Rəy bildirin» keçidini yenidən açın.",
		rThanksNoComment: "Təşəkkür edirik — qiymətiniz redaksiyaya çatdı. Onu dəyişmək üçün yazının altındakı «Rəy bildirin» keçidini yenidən açın.",
		rTooLong:         "Bu, bir az uzundur: %d simvol, rəy isə ən çox %d simvol ola bilər. Qısaldıb yenidən göndərə bilərsinizmi? Mətninizi saxlamışam.",
		rBadLink:         "Bu keçid tapa biləcəyim bir yazıya aparmır. Zəhmət olmasa, kanalımızdakı yazının altındakı «Rəy bildirin» keçidini açın.",
		rUnpublished:     "Bu yazı artıq dərc olunmur, ona görə rəy bildirmək olmur. Marağınız üçün təşəkkür edirik.",
		rSlowDown:        "Son bir neçə dəqiqədə bir neçə rəy yazmısınız. Zəhmət olmasa, bir az sonra qayıdın.",
		rNoSession:       "Yazı haqqında rəy bildirmək üçün kanalımızdakı yazının altındakı «Rəy bildirin» keçidini açın.",
		rForgotten:       "Hazırdır: %d rəyiniz silindi və herald sizin haqqınızda başqa heç nə saxlamır.",
		rNothingToForget: "herald sizin heç bir rəyinizi saxlamır.",
		rSkip:            "Keç",
		rRated:           "Qiymətiniz: %s",
	},
	herald.LangRussian: {
		rAskRating:       "Спасибо, что прочитали «%s».\n\nКак бы вы оценили материал? Выберите от одной до пяти звёзд.",
		rAskRatingAgain:  "Раньше вы оценили «%s» на %d из 5. Выберите снова, чтобы изменить оценку.",
		rAskComment:      "Спасибо! Хотите добавить несколько слов? Напишите их сообщением — что убедило, чего не хватило, о чём спросить в следующий раз. Или нажмите «Пропустить».",
		rThanks:          "Спасибо — ваш отзыв дошёл до редакции. Чтобы изменить его, снова откройте ссылку «Оставить отзыв» под публикацией.",
		rThanksNoComment: "Спасибо — ваша оценка дошла до редакции. Чтобы изменить её, снова откройте ссылку «Оставить отзыв» под публикацией.",
		rTooLong:         "Получилось длинновато: %d знаков, а в отзыве может быть до %d. Сократите, пожалуйста, и пришлите снова — ваш текст я сохранил.",
		rBadLink:         "Эта ссылка не ведёт к материалу, который я могу найти. Откройте, пожалуйста, «Оставить отзыв» под публикацией в нашем канале.",
		rUnpublished:     "Этот материал больше не опубликован, поэтому оставить отзыв нельзя. Спасибо за желание.",
		rSlowDown:        "За последние минуты вы оставили несколько отзывов. Пожалуйста, вернитесь чуть позже.",
		rNoSession:       "Чтобы оставить отзыв, откройте «Оставить отзыв» под публикацией в нашем канале.",
		rForgotten:       "Готово: удалено отзывов — %d, и herald больше ничего о вас не хранит.",
		rNothingToForget: "herald не хранит ваших отзывов.",
		rSkip:            "Пропустить",
		rRated:           "Ваша оценка: %s",
	},
}

func rtr(lang herald.Language, m rmsg) string {
	if s, ok := readerWords[lang][m]; ok {
		return s
	}
	return readerWords[herald.LangEnglish][m]
}
