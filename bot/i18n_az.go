package bot

// wordsAz is everything herald says to editors and readers in Azerbaijani.
// Every key of the msg list is here, as in the other languages' files;
// TestCatalogue fails on a missing or untranslated entry. Read-only.
var wordsAz = map[msg]string{
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
	rAskRating:        "«%s» yazısını oxuduğunuz üçün təşəkkür edirik.\n\nOnu necə qiymətləndirərdiniz? Birdən beşə qədər ulduz seçin.",
	rAskRatingAgain:   "Siz əvvəl «%s» yazısına 5 üzərindən %d vermişdiniz. Dəyişmək üçün yenidən seçin.",
	rAskComment:       "Təşəkkür edirik! Bir neçə söz əlavə etmək istərdinizmi? Mesajla yazın — sizi nə inandırdı, nə çatışmadı, növbəti dəfə nəyi soruşmalıyıq. Ya da «Keç» düyməsini basın.",
	rThanks:           "Təşəkkür edirik — rəyiniz redaksiyaya çatdı. Onu dəyişmək üçün yazının altındakı «Rəy bildirin» keçidini yenidən açın.",
	rThanksNoComment:  "Təşəkkür edirik — qiymətiniz redaksiyaya çatdı. Onu dəyişmək üçün yazının altındakı «Rəy bildirin» keçidini yenidən açın.",
	rTooLong:          "Bu, bir az uzundur: %d simvol, rəy isə ən çox %d simvol ola bilər. Qısaldıb yenidən göndərə bilərsinizmi? Mətninizi saxlamışam.",
	rBadLink:          "Bu keçid tapa biləcəyim bir yazıya aparmır. Zəhmət olmasa, kanalımızdakı yazının altındakı «Rəy bildirin» keçidini açın.",
	rUnpublished:      "Bu yazı artıq dərc olunmur, ona görə rəy bildirmək olmur. Marağınız üçün təşəkkür edirik.",
	rSlowDown:         "Son bir neçə dəqiqədə bir neçə rəy yazmısınız. Zəhmət olmasa, bir az sonra qayıdın.",
	rNoSession:        "Yazı haqqında rəy bildirmək üçün kanalımızdakı yazının altındakı «Rəy bildirin» keçidini açın.",
	rForgotten:        "Hazırdır: %d rəyiniz silindi və herald sizin haqqınızda başqa heç nə saxlamır.",
	rNothingToForget:  "herald sizin heç bir rəyinizi saxlamır.",
	rSkip:             "Keç",
	rRated:            "Qiymətiniz: %s",
	msgStatePlanned:   "planlaşdırılıb", msgStateScheduled: "təyin edilib", msgStateSending: "göndərilir", msgStateSent: "göndərilib",
	msgStateEdited: "düzəldilib", msgStateDeleted: "silinib", msgStateUnknown: "bilinmir", msgStateFailed: "uğursuz",
	msgStateCancelled: "ləğv edilib",
	msgDaysOne:        "%d gün", msgDaysFew: "%d gün", msgDaysMany: "%d gün",
	msgChartTitle: "Oxucular · %s",
	msgChartDay:   "Gün", msgChartCount: "Rəylər", msgChartStars: "Ulduzlar",
	msgChartFooter:    "%d rəy, %d qiymət, orta qiymət 5 üzərindən %.1f, %d şərhli",
	msgChartNoReviews: "hələ rəy yoxdur",
	msgGreeting:       "Salam! Bu, «Çətin sual» verilişinin botudur. Kanaldakı yazının altındakı «Rəy bildirin» keçidi ilə yazını qiymətləndirə və fikrinizi bildirə bilərsiniz.",
	msgInternal:       "daxili xəta",
	msgUnknownButton:  "naməlum düymə",
}
