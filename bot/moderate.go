package bot

import (
	"context"
	"fmt"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// The moderation actions, as the buttons name them and the desk's forms too.
const (
	ModerateApprove = modApprove
	ModerateReject  = modReject
	ModerateBan     = modBan
)

// Moderate approves or rejects a review, or bans its reader (and rejects
// it), on behalf of editor by, and audits it: the one path of the bot's
// buttons and the web desk. An unknown op is a herald.EInvalid error.
func Moderate(ctx context.Context, st *store.Store, by int64, rv *herald.Review, op string) error {
	var err error
	switch op {
	case modApprove:
		err = st.SetReviewStatus(ctx, rv.ID, herald.ReviewApproved)
	case modReject:
		err = st.SetReviewStatus(ctx, rv.ID, herald.ReviewRejected)
	case modBan:
		err = st.Ban(ctx, rv.UserID, by)
		if err == nil {
			err = st.SetReviewStatus(ctx, rv.ID, herald.ReviewRejected)
		}
	default:
		return herald.Errorf(herald.EInvalid, "unknown moderation %q", op)
	}
	if err != nil {
		return err
	}
	return st.AddAudit(ctx, &herald.AuditEntry{UserID: by, Action: "review_" + op,
		Detail: fmt.Sprintf("review %d by reader %d on article %d", rv.ID, rv.UserID, rv.ArticleID)})
}
