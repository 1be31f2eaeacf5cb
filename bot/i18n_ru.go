package bot

// wordsRu is everything herald says to editors and readers in Russian.
// Every key of the msg list is here, as in the other languages' files;
// TestCatalogue fails on a missing or untranslated entry. Read-only.
var wordsRu = map[msg]string{
	msgRefused:         "Извините, это только для редакторов. Если вы редактор, попросите владельца добавить вас.",
	msgRefusedButton:   "Извините, эти кнопки для редакторов.",
	msgUnknownCommand:  "Я не знаю команды /%s. /help покажет, что я умею.",
	msgQueueEmpty:      "Очередь пуста: ничего не ждёт отправки.",
	msgQueueHeader:     "<b>Очередь</b>%s · %d–%d из %d",
	msgQueueLegend:     "▶ отправить сейчас · 🕑 перенести · ✖ отменить",
	msgPostCancelled:   "Публикация #%d отменена.",
	msgPostRescheduled: "Публикация #%d выйдет %s.",
	msgPostNow:         "Публикация #%d отправляется сейчас.",
	msgPostRetry:       "Публикация #%d снова в очереди и отправляется сейчас.",
	msgPostSendAgain:   "Публикация #%d будет отправлена заново сейчас.",
	msgPostConfirmed:   "Публикация #%d отмечена как отправленная.",
	msgStale:           "Публикация #%d уже изменилась: сейчас она %s.",
	msgConflict:        "Публикацию #%d нельзя изменить: %s.",
	msgNotFound:        "%s. /queue покажет публикации, /articles — статьи.",
	msgUsage:           "Как пользоваться: %s",
	msgBadTime:         "Не понял время. %s\n\n<b>Какое время я понимаю</b> (в часовом поясе канала):\n%s",
	msgAskTime:         "Пришлите новое время для публикации #%d (%s). Например: 19:00, завтра 9:30, +2h.",
	msgRescheduleMenu:  "<b>Перенести публикацию #%d</b>\n%s\nСейчас назначена на %s.",
	msgChannelPaused:   "Канал %s приостановлен: ничего не выйдет до /resume.",
	msgChannelResumed:  "Канал %s снова работает.",
	msgChannelsHeader:  "<b>Каналы</b>",
	msgNoChannels:      "Каналов пока нет (herald channel add).",
	msgUnknownHeader:   "<b>Публикации, о которых неизвестно, вышли ли они</b>\nПроверьте канал и ответьте мне.",
	msgUnknownEmpty:    "Нет публикаций, ждущих решения.",
	msgFailedHeader:    "<b>Неудавшиеся публикации</b>",
	msgFailedEmpty:     "Неудавшихся публикаций нет.",
	msgArticlesHeader:  "<b>Последние статьи</b>",
	msgArticlesEmpty:   "Статей пока нет.",
	msgNoPosts:         "публикаций нет",
	msgPreviewHeader:   "Статья #%d в канале %s — так её увидят читатели:",
	msgScheduled:       "Статья #%d запланирована:",
	msgEditorsHeader:   "<b>Владельцы и редакторы</b>",
	msgEditorAdded:     "%s теперь редактор.",
	msgEditorRemoved:   "%s больше не редактор.",
	msgOwnersOnly:      "Добавлять и удалять редакторов могут только владельцы.",
	msgEditorWho:       "Укажите ID пользователя Telegram (/editor add 123456789) или ответьте /editor add на сообщение, которое этот человек вам переслал.",
	msgAuditHeader:     "<b>Последние изменения</b>",
	msgAuditEmpty:      "Пока ничего не сделано.",
	msgBtnPostNow:      "▶ Отправить",
	msgBtnReschedule:   "🕑 Перенести",
	msgBtnCancel:       "✖ Отменить",
	msgBtnPlus1h:       "+1 час",
	msgBtnPlus3h:       "+3 часа",
	msgBtnNextSlot:     "Следующий слот",
	msgBtnTypeTime:     "Ввести время",
	msgBtnBack:         "« Назад",
	msgBtnPrev:         "« Раньше",
	msgBtnNext:         "Позже »",
	msgBtnWasSent:      "✔ Вышла",
	msgBtnSendAgain:    "↻ Отправить заново",
	msgBtnRetry:        "↻ Повторить",
	msgBtnPause:        "⏸ Пауза",
	msgBtnResume:       "▶ Возобновить",
	msgDone:            "Готово.",
	msgNoticeFailed:    "⚠️ <b>Публикация не удалась</b>",
	msgNoticeUnknown:   "❓ <b>Неизвестно, вышла ли публикация</b>\nПроверьте канал и решите через /unknown.",
	msgNoticePaused:    "⏸ <b>Канал приостановлен</b>",
	msgNoticeStalled:   "📡 <b>herald не получает обновления от Telegram</b>\nКоманды и отзывы не доходят.",
	msgEditorHelp: `<b>herald для редакторов</b>
/queue [канал] — ближайшие публикации с кнопками
/schedule &lt;ID или ссылка статьи&gt; [время] [канал…] — запланировать статью
/reschedule &lt;публикация&gt; &lt;время&gt; — перенести
/postnow &lt;публикация&gt; — отправить сейчас
/cancel &lt;публикация&gt; — отменить
/articles [вид] — последние статьи и их публикации
/article &lt;ID&gt; — предпросмотр, как увидят читатели
/channels — каналы, с паузой и возобновлением
/pause [канал|all], /resume [канал|all]
/unknown — публикации под вопросом
/failed — неудавшиеся публикации
/editors, /editor add|remove &lt;ID пользователя&gt; (владельцы)
/audit [n] — кто что сделал

&lt;публикация&gt; — номер, который показывает /queue (#12 или 12).

<b>Время</b> (в часовом поясе канала):
%s`,
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
	rAskRating:        "Спасибо, что прочитали «%s».\n\nКак бы вы оценили материал? Выберите от одной до пяти звёзд.",
	rAskRatingAgain:   "Раньше вы оценили «%s» на %d из 5. Выберите снова, чтобы изменить оценку.",
	rAskComment:       "Спасибо! Хотите добавить несколько слов? Напишите их сообщением — что убедило, чего не хватило, о чём спросить в следующий раз. Или нажмите «Пропустить».",
	rThanks:           "Спасибо — ваш отзыв дошёл до редакции. Чтобы изменить его, снова откройте ссылку «Оставить отзыв» под публикацией.",
	rThanksNoComment:  "Спасибо — ваша оценка дошла до редакции. Чтобы изменить её, снова откройте ссылку «Оставить отзыв» под публикацией.",
	rTooLong:          "Получилось длинновато: %d знаков, а в отзыве может быть до %d. Сократите, пожалуйста, и пришлите снова — ваш текст я сохранил.",
	rBadLink:          "Эта ссылка не ведёт к материалу, который я могу найти. Откройте, пожалуйста, «Оставить отзыв» под публикацией в нашем канале.",
	rUnpublished:      "Этот материал больше не опубликован, поэтому оставить отзыв нельзя. Спасибо за желание.",
	rSlowDown:         "За последние минуты вы оставили несколько отзывов. Пожалуйста, вернитесь чуть позже.",
	rNoSession:        "Чтобы оставить отзыв, откройте «Оставить отзыв» под публикацией в нашем канале.",
	rForgotten:        "Готово: удалено отзывов — %d, и herald больше ничего о вас не хранит.",
	rNothingToForget:  "herald не хранит ваших отзывов.",
	rSkip:             "Пропустить",
	rRated:            "Ваша оценка: %s",
	msgStatePlanned:   "запланирована", msgStateScheduled: "назначена", msgStateSending: "отправляется", msgStateSent: "вышла",
	msgStateEdited: "исправлена", msgStateDeleted: "удалена", msgStateUnknown: "под вопросом", msgStateFailed: "не удалась",
	msgStateCancelled: "отменена",
	msgDaysOne:        "%d день", msgDaysFew: "%d дня", msgDaysMany: "%d дней",
	msgChartTitle: "Читатели · %s",
	msgChartDay:   "День", msgChartCount: "Отзывы", msgChartStars: "Звёзды",
	msgChartFooter:    "Отзывов: %d, с оценкой: %d, средняя %.1f из 5, с комментарием: %d",
	msgChartNoReviews: "отзывов пока нет",
	msgGreeting:       "Здравствуйте! Это бот программы «Трудный вопрос». По ссылке «Оставить отзыв» под публикацией в канале вы можете оценить материал и поделиться мнением.",
	msgInternal:       "внутренняя ошибка",
	msgUnknownButton:  "неизвестная кнопка",
}
