package bot

import (
	"fmt"

	"github.com/herald-news/herald"
)

// msg names a sentence the bot says to editors, in every language it speaks.
type msg int

// The editors' sentences. The catalogue below holds each in en, az and ru;
// arguments are already escaped for Telegram HTML where they are text.
const (
	msgRefused msg = iota
	msgRefusedButton
	msgUnknownCommand
	msgQueueEmpty
	msgQueueHeader
	msgQueueLegend
	msgPostCancelled
	msgPostRescheduled
	msgPostNow
	msgPostRetry
	msgPostSendAgain
	msgPostConfirmed
	msgStale
	msgConflict
	msgNotFound
	msgUsage
	msgBadTime
	msgAskTime
	msgRescheduleMenu
	msgChannelPaused
	msgChannelResumed
	msgChannelsHeader
	msgNoChannels
	msgUnknownHeader
	msgUnknownEmpty
	msgFailedHeader
	msgFailedEmpty
	msgArticlesHeader
	msgArticlesEmpty
	msgNoPosts
	msgPreviewHeader
	msgScheduled
	msgEditorsHeader
	msgEditorAdded
	msgEditorRemoved
	msgOwnersOnly
	msgEditorWho
	msgAuditHeader
	msgAuditEmpty
	msgEditorHelp
	msgBtnPostNow
	msgBtnReschedule
	msgBtnCancel
	msgBtnPlus1h
	msgBtnPlus3h
	msgBtnNextSlot
	msgBtnTypeTime
	msgBtnBack
	msgBtnPrev
	msgBtnNext
	msgBtnWasSent
	msgBtnSendAgain
	msgBtnRetry
	msgBtnPause
	msgBtnResume
	msgDone
	msgNoticeFailed
	msgNoticeUnknown
	msgNoticePaused
	msgNoticeStalled
	msgNoticeHeld
	msgHeld
)

// catalogue holds the editors' sentences by language. Read-only.
var catalogue = map[herald.Language]map[msg]string{
	herald.LangEnglish: {
		msgRefused:         "Sorry, this is for the newsroom's editors. If you are one, ask an owner to add you.",
		msgRefusedButton:   "Sorry, these buttons are for editors.",
		msgUnknownCommand:  "I don't know /%s. /help lists what I can do.",
		msgQueueEmpty:      "The queue is empty: nothing is waiting to go out.",
		msgQueueHeader:     "<b>Queue</b>%s · %d–%d of %d",
		msgQueueLegend:     "▶ post now · 🕑 reschedule · ✖ cancel",
		msgPostCancelled:   "Post #%d cancelled.",
		msgPostRescheduled: "Post #%d will go out %s.",
		msgPostNow:         "Post #%d goes out now.",
		msgPostRetry:       "Post #%d is back in the queue and goes out now.",
		msgPostSendAgain:   "Post #%d will be sent again now.",
		msgPostConfirmed:   "Post #%d is recorded as sent.",
		msgStale:           "Post #%d has changed since: it is now %s.",
		msgConflict:        "Post #%d can't be changed: %s.",
		msgNotFound:        "%s. /queue shows the posts, /articles the articles.",
		msgUsage:           "Usage: %s",
		msgBadTime:         "I couldn't read that time. %s\n\n<b>Times I understand</b> (in the channel's zone):\n%s",
		msgAskTime:         "Send the new time for post #%d (%s). For example: 19:00, tomorrow 9:30, +2h.",
		msgRescheduleMenu:  "<b>Reschedule post #%d</b>\n%s\nNow due %s.",
		msgChannelPaused:   "Channel %s is paused: nothing goes out on it until /resume.",
		msgChannelResumed:  "Channel %s is running again.",
		msgChannelsHeader:  "<b>Channels</b>",
		msgNoChannels:      "There are no channels yet (herald channel add).",
		msgUnknownHeader:   "<b>Posts that may or may not have gone out</b>\nCheck the channel, then tell me.",
		msgUnknownEmpty:    "No post is waiting to be settled.",
		msgFailedHeader:    "<b>Failed posts</b>",
		msgFailedEmpty:     "No post has failed.",
		msgArticlesHeader:  "<b>Latest articles</b>",
		msgArticlesEmpty:   "No articles yet.",
		msgNoPosts:         "no posts",
		msgPreviewHeader:   "Preview of article #%d on %s, exactly as readers will see it:",
		msgScheduled:       "Article #%d is scheduled:",
		msgEditorsHeader:   "<b>Owners and editors</b>",
		msgEditorAdded:     "%s is now an editor.",
		msgEditorRemoved:   "%s is no longer an editor.",
		msgOwnersOnly:      "Only owners can add or remove editors.",
		msgEditorWho:       "Give a Telegram user id (/editor add 123456789), or reply with /editor add to a message the person forwarded to you.",
		msgAuditHeader:     "<b>Latest changes</b>",
		msgAuditEmpty:      "Nothing has been done yet.",
		msgBtnPostNow:      "▶ Post now",
		msgBtnReschedule:   "🕑 Reschedule",
		msgBtnCancel:       "✖ Cancel",
		msgBtnPlus1h:       "+1 hour",
		msgBtnPlus3h:       "+3 hours",
		msgBtnNextSlot:     "Next slot",
		msgBtnTypeTime:     "Type a time",
		msgBtnBack:         "« Back",
		msgBtnPrev:         "« Earlier",
		msgBtnNext:         "Later »",
		msgBtnWasSent:      "✔ It was sent",
		msgBtnSendAgain:    "↻ Send again",
		msgBtnRetry:        "↻ Retry",
		msgBtnPause:        "⏸ Pause",
		msgBtnResume:       "▶ Resume",
		msgDone:            "Done.",
		msgNoticeFailed:    "⚠️ <b>A post failed</b>",
		msgNoticeUnknown:   "❓ <b>A post may or may not have gone out</b>\nCheck the channel, then settle it with /unknown.",
		msgNoticePaused:    "⏸ <b>A channel was paused</b>",
		msgNoticeStalled:   "📡 <b>herald cannot get updates from Telegram</b>\nCommands and reviews are not coming in.",
		msgNoticeHeld:      "✋ <b>An article needs an editor</b>\nherald will not post it on its own: schedule it with /schedule.",
		msgHeld:            "needs an editor",
		msgEditorHelp: `<b>herald for editors</b>
/queue [channel] — the next posts, with buttons
/schedule &lt;article id or url&gt; [when] [channel…] — plan an article
/reschedule &lt;post&gt; &lt;when&gt; — move a post
/postnow &lt;post&gt; — send it now
/cancel &lt;post&gt; — cancel it
/articles [kind] — latest articles and their posts
/article &lt;id&gt; — preview, as readers will see it
/channels — channels, with pause and resume
/pause [channel|all], /resume [channel|all]
/unknown — posts whose sending is in doubt
/failed — failed posts
/editors, /editor add|remove &lt;user id&gt; (owners)
/audit [n] — who did what

&lt;post&gt; is the number /queue shows (#12 or 12).

<b>Times</b> (in the channel's zone):
%s`,
	},
	herald.LangAzerbaijani: {
		msgRefused:         "Bağışlayın, bu, yalnız redaksiyanın redaktorları üçündür. Redaktorsunuzsa, sahiblərdən birindən sizi əlavə etməsini xahiş edin.",
		msgRefusedButton:   "Bağışlayın, bu düymələr redaktorlar üçündür.",
		msgUnknownCommand:  "/%s əmrini tanımıram. /help nə edə bildiyimi göstərir.",
		msgQueueEmpty:      "Növbə boşdur: göndərilməyi gözləyən yazı yoxdur.",
		msgQueueHeader:     "<b>Növbə</b>%s · %d–%d / %d",
		msgQueueLegend:     "▶ indi göndər · 🕑 vaxtı dəyiş · ✖ ləğv et",
		msgPostCancelled:   "#%d yazısı ləğv edildi.",
		msgPostRescheduled: "#%d yazısı %s göndəriləcək.",
		msgPostNow:         "#%d yazısı indi göndərilir.",
		msgPostRetry:       "#%d yazısı növbəyə qaytarıldı və indi göndərilir.",
		msgPostSendAgain:   "#%d yazısı indi yenidən göndəriləcək.",
		msgPostConfirmed:   "#%d yazısı göndərilmiş kimi qeyd edildi.",
		msgStale:           "#%d yazısı artıq dəyişib: indi vəziyyəti %s.",
		msgConflict:        "#%d yazısını dəyişmək olmur: %s.",
		msgNotFound:        "%s. /queue yazıları, /articles məqalələri göstərir.",
		msgUsage:           "İstifadə: %s",
		msgBadTime:         "Bu vaxtı başa düşmədim. %s\n\n<b>Başa düşdüyüm vaxtlar</b> (kanalın saat qurşağında):\n%s",
		msgAskTime:         "#%d yazısı üçün yeni vaxtı göndərin (%s). Məsələn: 19:00, sabah 9:30, +2h.",
		msgRescheduleMenu:  "<b>#%d yazısının vaxtını dəyiş</b>\n%s\nİndiki vaxt: %s.",
		msgChannelPaused:   "%s kanalı dayandırıldı: /resume verilənədək heç nə göndərilməyəcək.",
		msgChannelResumed:  "%s kanalı yenidən işləyir.",
		msgChannelsHeader:  "<b>Kanallar</b>",
		msgNoChannels:      "Hələ kanal yoxdur (herald channel add).",
		msgUnknownHeader:   "<b>Göndərilib-göndərilmədiyi bilinməyən yazılar</b>\nKanala baxın, sonra mənə bildirin.",
		msgUnknownEmpty:    "Həll gözləyən yazı yoxdur.",
		msgFailedHeader:    "<b>Göndərilə bilməyən yazılar</b>",
		msgFailedEmpty:     "Uğursuz yazı yoxdur.",
		msgArticlesHeader:  "<b>Son məqalələr</b>",
		msgArticlesEmpty:   "Hələ məqalə yoxdur.",
		msgNoPosts:         "yazı yoxdur",
		msgPreviewHeader:   "#%d məqaləsi %s kanalında oxucuların görəcəyi kimi:",
		msgScheduled:       "#%d məqaləsi planlaşdırıldı:",
		msgEditorsHeader:   "<b>Sahiblər və redaktorlar</b>",
		msgEditorAdded:     "%s indi redaktordur.",
		msgEditorRemoved:   "%s artıq redaktor deyil.",
		msgOwnersOnly:      "Redaktorları yalnız sahiblər əlavə edə və silə bilər.",
		msgEditorWho:       "Telegram istifadəçi ID-sini yazın (/editor add 123456789) və ya həmin şəxsin sizə yönləndirdiyi mesaja /editor add ilə cavab verin.",
		msgAuditHeader:     "<b>Son dəyişikliklər</b>",
		msgAuditEmpty:      "Hələ heç nə edilməyib.",
		msgBtnPostNow:      "▶ İndi göndər",
		msgBtnReschedule:   "🕑 Vaxtı dəyiş",
		msgBtnCancel:       "✖ Ləğv et",
		msgBtnPlus1h:       "+1 saat",
		msgBtnPlus3h:       "+3 saat",
		msgBtnNextSlot:     "Növbəti slot",
		msgBtnTypeTime:     "Vaxtı yaz",
		msgBtnBack:         "« Geri",
		msgBtnPrev:         "« Əvvəlki",
		msgBtnNext:         "Sonrakı »",
		msgBtnWasSent:      "✔ Göndərilib",
		msgBtnSendAgain:    "↻ Yenidən göndər",
		msgBtnRetry:        "↻ Yenidən cəhd et",
		msgBtnPause:        "⏸ Dayandır",
		msgBtnResume:       "▶ Davam et",
		msgDone:            "Hazırdır.",
		msgNoticeFailed:    "⚠️ <b>Yazı göndərilə bilmədi</b>",
		msgNoticeUnknown:   "❓ <b>Yazının göndərilib-göndərilmədiyi bilinmir</b>\nKanala baxın və /unknown ilə həll edin.",
		msgNoticePaused:    "⏸ <b>Kanal dayandırıldı</b>",
		msgNoticeStalled:   "📡 <b>herald Telegram-dan yenilik ala bilmir</b>\nƏmrlər və rəylər gəlmir.",
		msgNoticeHeld:      "✋ <b>Məqaləyə redaktor baxmalıdır</b>\nherald onu özü paylaşmayacaq: /schedule ilə planlaşdırın.",
		msgHeld:            "redaktor gözləyir",
		msgEditorHelp: `<b>Redaktorlar üçün herald</b>
/queue [kanal] — növbəti yazılar, düymələrlə
/schedule &lt;məqalə ID və ya link&gt; [vaxt] [kanal…] — məqaləni planlaşdır
/reschedule &lt;yazı&gt; &lt;vaxt&gt; — vaxtı dəyiş
/postnow &lt;yazı&gt; — indi göndər
/cancel &lt;yazı&gt; — ləğv et
/articles [növ] — son məqalələr və yazıları
/article &lt;ID&gt; — oxucunun görəcəyi kimi önizləmə
/channels — kanallar, dayandırma və davam etdirmə
/pause [kanal|all], /resume [kanal|all]
/unknown — göndərilməsi şübhəli yazılar
/failed — uğursuz yazılar
/editors, /editor add|remove &lt;istifadəçi ID&gt; (sahiblər)
/audit [n] — kim nə edib

&lt;yazı&gt; /queue-nun göstərdiyi nömrədir (#12 və ya 12).

<b>Vaxtlar</b> (kanalın saat qurşağında):
%s`,
	},
	herald.LangRussian: {
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
		msgNoticeHeld:      "✋ <b>Статья ждёт редактора</b>\nherald не опубликует её сам: запланируйте её через /schedule.",
		msgHeld:            "ждёт редактора",
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
	},
}

// tr returns sentence m in lang (English when lang has none), formatted
// with args.
func tr(lang herald.Language, m msg, args ...any) string {
	s, ok := catalogue[lang][m]
	if !ok {
		s = catalogue[herald.LangEnglish][m]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// stateName names a post state for editors.
func stateName(lang herald.Language, s herald.PostState) string {
	names := map[herald.Language]map[herald.PostState]string{
		herald.LangAzerbaijani: {herald.PostPlanned: "planlaşdırılıb", herald.PostScheduled: "təyin edilib",
			herald.PostSending: "göndərilir", herald.PostSent: "göndərilib", herald.PostEdited: "düzəldilib",
			herald.PostDeleted: "silinib", herald.PostUnknown: "bilinmir", herald.PostFailed: "uğursuz",
			herald.PostCancelled: "ləğv edilib"},
		herald.LangRussian: {herald.PostPlanned: "запланирована", herald.PostScheduled: "назначена",
			herald.PostSending: "отправляется", herald.PostSent: "вышла", herald.PostEdited: "исправлена",
			herald.PostDeleted: "удалена", herald.PostUnknown: "под вопросом", herald.PostFailed: "не удалась",
			herald.PostCancelled: "отменена"},
	}
	if n, ok := names[lang][s]; ok {
		return n
	}
	return string(s)
}
