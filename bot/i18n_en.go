package bot

// wordsEn is everything herald says to editors and readers in English.
// Every key of the msg list is here, as in the other languages' files;
// TestCatalogue fails on a missing or untranslated entry. Read-only.
var wordsEn = map[msg]string{
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
	rAskRating:        "Thank you for reading «%s».\n\nHow would you rate it? Choose from one star to five.",
	rAskRatingAgain:   "You rated «%s» %d of 5 before. Choose again to change your rating.",
	rAskComment:       "Thank you! Would you like to add a few words? Write them in a message — what convinced you, what was missing, what we should ask next time. Or press Skip.",
	rThanks:           "Thank you — your review has reached the newsroom. To change it, open the “Leave a review” link under the post again.",
	rThanksNoComment:  "Thank you — your rating has reached the newsroom. To change it, open the “Leave a review” link under the post again.",
	rTooLong:          "That is a little long: %d characters, and a review can have up to %d. Could you shorten it and send it again? I have kept your text so far.",
	rBadLink:          "This link doesn't lead to a piece I can find. Please open “Leave a review” under a post in our channel.",
	rUnpublished:      "This piece is no longer published, so it can't be reviewed. Thank you for wanting to.",
	rSlowDown:         "You have left several reviews in the last few minutes. Please come back a little later.",
	rNoSession:        "To review a piece, open “Leave a review” under a post in our channel.",
	rForgotten:        "Done: %d of your reviews were deleted, and herald keeps nothing else about you.",
	rNothingToForget:  "herald keeps no reviews of yours.",
	rSkip:             "Skip",
	rRated:            "Your rating: %s",
	msgStatePlanned:   "planned", msgStateScheduled: "scheduled", msgStateSending: "sending", msgStateSent: "sent",
	msgStateEdited: "edited", msgStateDeleted: "deleted", msgStateUnknown: "unknown", msgStateFailed: "failed",
	msgStateCancelled: "cancelled",
	msgDaysOne:        "%d day", msgDaysFew: "%d days", msgDaysMany: "%d days",
	msgChartTitle: "Readers · %s",
	msgChartDay:   "Day", msgChartCount: "Reviews", msgChartStars: "Stars",
	msgChartFooter:    "%d reviews, %d rated, average %.1f of 5, %d with comments",
	msgChartNoReviews: "no reviews yet",
	msgGreeting:       "Hello! This is the bot of “Difficult Question”. Follow the “Leave a review” link under a post in the channel to rate it and tell us what you think.",
	msgInternal:       "internal error",
	msgUnknownButton:  "unknown button",
}
