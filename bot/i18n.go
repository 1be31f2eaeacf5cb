package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// msg names a sentence herald says to an editor or a reader, in every
// language it speaks. Adding one: name it below, then give it in each of
// i18n_en.go, i18n_az.go and i18n_ru.go; TestCatalogue fails until all
// three have it in their own words. Arguments are already escaped for
// Telegram HTML where they are text.
type msg int

// The sentences, by where they are said.
const (
	// Editors' commands, views, buttons and notices.
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
	// Moderation and statistics.
	msgReviewsEmpty
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
	// The readers' review conversation.
	rAskRating
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
	msgPurposePublish
	msgPurposeAnnounce
	msgPurposeLive

	// Spans of days (/stats 7d), and the chart.
	msgDaysOne  // Russian: 1, 21, 31 …
	msgDaysFew  // Russian: 2–4, 22–24 …
	msgDaysMany // Russian: 5–20, 25–30 …
	msgChartTitle
	msgChartDay
	msgChartCount
	msgChartStars
	msgChartFooter
	msgChartNoReviews

	// Readers' greeting.
	msgGreeting
	msgUnknownButton
	msgPausedByEditor
	msgPausedNoRights
	msgPausedAccount
	msgInternal // what an editor reads when herald itself failed; the log says more
	msgNoticeHeld
	msgHeld
	msgCannotSchedule
	msgRoleOwner
	msgRoleEditor
	msgStatusPending
	msgStatusApproved
	msgStatusRejected
	msgSourceDM
	msgSourceComment
	msgHeldNoDay    // why an article is held (herald.HeldNoDay), with the air time
	msgHeldUndated  // herald.HeldUndated, with the air time
	msgHeldBodyLost // herald.HeldBodyLost

	// Durable notices, reader throttling and counted audit entries.
	msgNoticeUnknownMany
	msgNoticeFailedMany
	msgNoticeMore
	msgNoticeMuted
	msgBtnSettle
	msgBtnFailed
	msgAuditTimes
	msgReaderSlowDown

	// The command menus Telegram shows, one description per command.
	msgCmdStart
	msgCmdHelp
	msgCmdQueue
	msgCmdSchedule
	msgCmdReschedule
	msgCmdPostnow
	msgCmdCancel
	msgCmdArticles
	msgCmdArticle
	msgCmdChannels
	msgCmdPause
	msgCmdResume
	msgCmdUnknown
	msgCmdFailed
	msgCmdEditors
	msgCmdAudit
	msgCmdHelpeditor
	msgCmdDesk

	// The web desk's one-time sign-in link (/desk).
	msgDeskLink
	msgDeskOff

	// The newsroom's workflow: approval, edits before a post goes, the
	// channels' filters and topics, clicks.
	msgNoticeApproval
	msgNoticeApprovalLate
	msgNoticeEditStale
	msgDue
	msgBtnApprove
	msgBtnEditPost
	msgBtnReject
	msgBtnKeepEdit
	msgBtnUseArticle
	msgBtnSave
	msgBtnDiscard
	msgApproved
	msgRejected
	msgNotApprover
	msgEditAsk
	msgEditPreview
	msgEditSaved
	msgEditDiscarded
	msgEditBad
	msgEditKept
	msgEditDropped
	msgEditUsage
	msgApprovalLate
	msgChannelTopic
	msgChannelInclude
	msgChannelExclude
	msgChannelApproval
	msgStatsClicks
	msgStatsTopClicks
	msgCmdEdit
	msgEdited
	msgFilterUsage
	msgFilterNoRules
	msgFilterSaved
	msgFilterTaken
	msgFilterNotTaken
	msgFilterWrongKind
	msgFilterWrongLang
	msgFilterInclude
	msgFilterExclude
	msgFilterNoInclude
	msgCmdFilter
	msgCmdApproval
	msgApprovalUsage
	msgApprovalSaved
	msgApprovalNotEditor

	msgCount // the number of sentences; keep last
)

// catalogue holds the sentences by language. Read-only.
var catalogue = map[herald.Language]map[msg]string{
	herald.LangEnglish:     wordsEn,
	herald.LangAzerbaijani: wordsAz,
	herald.LangRussian:     wordsRu,
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

// mtr and rtr are tr under the names the moderation and review code uses.
func mtr(lang herald.Language, m msg, args ...any) string { return tr(lang, m, args...) }
func rtr(lang herald.Language, m msg) string              { return tr(lang, m) }

// stateName names a post state for editors.
func stateName(lang herald.Language, s herald.PostState) string { return herald.StateName(lang, s) }

// roleName, reviewStatusName and reviewSourceName name a role, a review's
// status and where it came from in lang.
func roleName(lang herald.Language, r herald.Role) string {
	if r == herald.RoleOwner {
		return tr(lang, msgRoleOwner)
	}
	return tr(lang, msgRoleEditor)
}

func reviewStatusName(lang herald.Language, s herald.ReviewStatus) string {
	switch s {
	case herald.ReviewApproved:
		return tr(lang, msgStatusApproved)
	case herald.ReviewRejected:
		return tr(lang, msgStatusRejected)
	}
	return tr(lang, msgStatusPending)
}

func reviewSourceName(lang herald.Language, s herald.ReviewSource) string {
	if s == herald.ReviewComment {
		return tr(lang, msgSourceComment)
	}
	return tr(lang, msgSourceDM)
}

// purposeName names what a post is for, for editors: the announcement
// before air or the post at air time.
func purposeName(lang herald.Language, p herald.Purpose) string {
	switch p {
	case herald.PurposeAnnounce:
		return tr(lang, msgPurposeAnnounce)
	case herald.PurposeLive:
		return tr(lang, msgPurposeLive)
	}
	return tr(lang, msgPurposePublish)
}

// badTime is the reply to a time the grammar refused: why, in the
// editor's language and with a capital, then the forms it reads.
func badTime(lang herald.Language, err error) string {
	why := herald.ErrorMessageIn(err, lang)
	if r, size := utf8.DecodeRuneInString(why); size > 0 {
		why = string(unicode.ToUpper(r)) + why[size:]
	}
	return tr(lang, msgBadTime, Escape(why), Escape(herald.WhenHelp(lang)))
}

// decimal writes f with one decimal, with the separator lang uses: a
// point in English, a comma in Azerbaijani and Russian.
func decimal(lang herald.Language, f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if lang == herald.LangEnglish {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// The reasons a channel is paused, as stored (in English, for the command
// line and logs); pauseReason says them in the editor's language.
const (
	reasonByEditor   = "paused by an editor"
	reasonLostRights = "the bot lost its rights in the chat (%s)"
	// reasonAccount is the scheduler's reason for a Mastodon or Bluesky
	// channel whose account was refused (a revoked token or password).
	reasonAccount = "the network refused herald's account (%s)"
)

// pauseReason says a stored pause reason in lang; a reason herald did not
// write itself is shown as it is.
func pauseReason(lang herald.Language, reason string) string {
	if reason == reasonByEditor {
		return tr(lang, msgPausedByEditor)
	}
	// The store keeps the English (reasonLostRights); what is inside the
	// brackets is Telegram's or the chat member status, shown as it is.
	prefix, _, _ := strings.Cut(reasonLostRights, "%s")
	if rest, ok := strings.CutPrefix(reason, prefix); ok && strings.HasSuffix(rest, ")") {
		return tr(lang, msgPausedNoRights, strings.TrimSuffix(rest, ")"))
	}
	prefix, _, _ = strings.Cut(reasonAccount, "%s")
	if rest, ok := strings.CutPrefix(reason, prefix); ok && strings.HasSuffix(rest, ")") {
		return tr(lang, msgPausedAccount, strings.TrimSuffix(rest, ")"))
	}
	return heldReason(lang, reason)
}

// heldReason says in lang why an article is held for an editor, from the
// code the cleaner stored (herald.HeldReason). A reason without a known
// code (stored before codes, or set by hand) is shown as it is.
func heldReason(lang herald.Language, reason string) string {
	code, arg := herald.ParseHeld(reason)
	switch code {
	case herald.HeldNoDay:
		return tr(lang, msgHeldNoDay, arg)
	case herald.HeldUndated:
		return tr(lang, msgHeldUndated, arg)
	case herald.HeldBodyLost:
		return tr(lang, msgHeldBodyLost)
	}
	return reason
}

// days says "N days" in lang, with the plural Russian needs for N.
func days(lang herald.Language, n int) string {
	return tr(lang, pluralOf(lang, n, msgDaysOne, msgDaysFew, msgDaysMany), n)
}

// pluralOf picks the form of a counted noun for n: English and
// Azerbaijani have one for 1 and one for the rest (Azerbaijani keeps the
// singular after numbers, so both forms read the same); Russian has three.
func pluralOf(lang herald.Language, n int, one, few, many msg) msg {
	if n < 0 {
		n = -n
	}
	if lang != herald.LangRussian {
		if n == 1 {
			return one
		}
		return many
	}
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return few
	}
	return many
}
