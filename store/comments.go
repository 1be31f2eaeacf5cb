package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Comment is a reader's comment in a discussion group, replying to the
// automatic forward of a channel post, as the bot's lanes take it.
type Comment struct {
	ChatID    int64 // the discussion group
	CopyID    int64 // the message it replies to: a post's automatic forward
	MessageID int64 // the comment itself
	UserID    int64
	UserName  string
	Username  string
	Language  herald.Language
	Text      string // the review's words, as kept
	// SpamProbe is the text looked up on other articles (see ReviewGate's
	// SameText): "" for none.
	SpamProbe string
	// Since is when the rate limit's window began; a reader with Burst
	// reviews written or changed since then gets no new review (a change
	// of the one they have is no new review).
	Since time.Time
	Burst int
}

// SaveComment ties c to the post whose forward it replies to and, when the
// rules let it through, keeps it as that article's review by c's reader —
// in one statement, the read that CommentGate does and the upsert of
// SaveReview together: this is the path every comment takes, and a popular
// post brings thousands at once. The rules are the bot's (keepReview): a
// banned reader's comment is not kept, nor a new review past the rate
// limit; one whose words were left on another article is spam and waits
// for an editor; otherwise it is approved when the channel approves its
// readers' reviews, pending if not. A later comment by the same reader on
// the same article changes their review: its words, spam mark, status and
// comment, keeping its rating and source.
//
// It returns the review kept, or nil when nothing was written: the message
// is no post's copy, the reader is banned, or over the limit. Which of
// these the caller asks CommentGate (the rare case).
func (s *Store) SaveComment(ctx context.Context, c *Comment) (*herald.Review, error) {
	kept, err := s.SaveComments(ctx, []*Comment{c})
	if len(kept) == 0 {
		if err == nil {
			// Invalid before the statement ran: say why.
			_, err = commentReview(c)
		}
		return nil, err
	}
	return kept[0], nil
}

// SaveComments is SaveComment for comments one after the other (a lane's
// queue of them), in one transaction: one commit for them all. It stops
// at the first comment not kept or invalid, and returns the reviews kept
// for the comments before it, which are then stored; the caller takes that
// comment another way and goes on with the ones after it. When the
// statement fails, nothing is stored and the error is returned.
func (s *Store) SaveComments(ctx context.Context, cs []*Comment) ([]*herald.Review, error) {
	rs := make([]*herald.Review, 0, len(cs))
	for _, c := range cs {
		r, err := commentReview(c)
		if err != nil {
			break
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	now := ts(s.now())
	var n int
	run := func(ctx context.Context, q queryer) error {
		for n = 0; n < len(rs); n++ {
			ok, err := saveComment(ctx, q, cs[n], rs[n], now)
			if err != nil {
				c := cs[n]
				return fmt.Errorf("store: save comment %d/%d by %d: %w", c.ChatID, c.MessageID, c.UserID, err)
			}
			if !ok {
				break
			}
		}
		return nil
	}
	var err error
	if len(rs) == 1 {
		// One statement, whole on its own.
		err = s.groupedSingle(ctx, run)
	} else {
		err = s.grouped(ctx, run)
	}
	if err != nil {
		return nil, err
	}
	return rs[:n], nil
}

// commentReview is the review c becomes, as far as it is known before its
// post is found, or why it cannot be one.
func commentReview(c *Comment) (*herald.Review, error) {
	r := &herald.Review{UserID: c.UserID, UserName: c.UserName, Username: c.Username, Language: c.Language,
		Text: c.Text, Source: herald.ReviewComment, Status: herald.ReviewPending, ChatID: c.ChatID, MessageID: c.MessageID}
	// The article is not known yet: validate the rest of the review.
	r.ArticleID = 1
	if err := r.Validate(); err != nil {
		return nil, err
	}
	r.ArticleID = 0
	return r, nil
}

// saveComment runs saveCommentSQL for c and fills in r from the review
// kept; it reports false when none was.
func saveComment(ctx context.Context, q queryer, c *Comment, r *herald.Review, now string) (bool, error) {
	err := q.QueryRowContext(ctx, saveCommentSQL,
		sql.Named("chat", c.ChatID), sql.Named("copy", c.CopyID), sql.Named("user", c.UserID),
		sql.Named("since", ts(c.Since)), sql.Named("probe", c.SpamProbe), sql.Named("burst", c.Burst),
		sql.Named("name", c.UserName), sql.Named("username", c.Username), sql.Named("language", c.Language),
		sql.Named("text", c.Text), sql.Named("message", c.MessageID), sql.Named("now", now)).Scan(
		&r.ID, &r.ArticleID, &r.ChannelID, &r.Rating, &r.Source, &r.Status, &r.Spam,
		scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// saveCommentSQL is SaveComment's statement. The gate is gateColumns,
// computed once for the comment's post; the decision is keepReview's,
// in SQL; the update on conflict is saveReview's for a review with words,
// no rating, source "comment" and a channel.
var saveCommentSQL = `WITH g (article, channel, banned, recent, present, same, auto) AS (
	SELECT p.article_id, p.channel_id, ` +
	strings.ReplaceAll(gateColumns("p.article_id", "p.channel_id"), ":text", ":probe") + `
	FROM posts p WHERE p.id = (SELECT post_id FROM post_copies WHERE chat_id = :chat AND message_id = :copy))
	INSERT INTO reviews (article_id, channel_id, user_id, user_name, username, language, rating, text, source,
		status, spam, chat_id, message_id, created_at, updated_at)
	SELECT article, NULLIF(channel, 0), :user, :name, :username, :language, 0, :text, 'comment',
		CASE WHEN same THEN 'pending' WHEN auto THEN 'approved' ELSE 'pending' END, same, :chat, :message, :now, :now
	FROM g WHERE NOT banned AND (recent < :burst OR present)
	ON CONFLICT (article_id, user_id) DO UPDATE SET
		channel_id = COALESCE(excluded.channel_id, channel_id),
		user_name = excluded.user_name, username = excluded.username, language = excluded.language,
		text = excluded.text, status = excluded.status, spam = excluded.spam,
		chat_id = excluded.chat_id, message_id = excluded.message_id, updated_at = excluded.updated_at
	RETURNING id, article_id, COALESCE(channel_id, 0), rating, source, status, spam, created_at, updated_at`
