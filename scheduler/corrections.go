package scheduler

import (
	"context"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// correct starts the edits and deletions that sent posts owe their changed
// or unpublished articles, within the same limits as new posts.
func (d *Dispatcher) correct(ctx context.Context, channels map[int64]*herald.Channel, now time.Time, soonest func(time.Time)) error {
	posts, err := d.Store.SyncPosts(ctx, batch)
	if err != nil {
		return err
	}
	for _, p := range posts {
		ch := channels[p.ChannelID]
		if ch == nil || ch.Paused {
			continue
		}
		d.mu.Lock()
		taken := d.syncing[p.ID]
		if !taken {
			d.syncing[p.ID] = true
		}
		d.mu.Unlock()
		if taken {
			continue
		}
		if !d.acquire(ch, now, soonest) {
			d.mu.Lock()
			delete(d.syncing, p.ID)
			d.mu.Unlock()
			continue
		}
		d.wg.Add(1)
		go d.sync(p, ch)
	}
	return nil
}

// sync edits or deletes one sent post.
func (d *Dispatcher) sync(p *store.PostRow, ch *herald.Channel) {
	defer d.wg.Done()
	defer func() {
		d.mu.Lock()
		delete(d.syncing, p.ID)
		d.mu.Unlock()
		d.release(ch)
	}()
	ctx := context.WithoutCancel(d.sendCtx)
	log := d.Log.With("post", p.ID, "channel", ch.ID, "message_id", p.MessageID, "remote_id", p.RemoteID)
	rec := Receipt{MessageID: p.MessageID, ExtraIDs: p.ExtraIDs, RemoteID: p.RemoteID}
	pub := d.publisher(ch)
	sctx, cancel := context.WithTimeout(d.sendCtx, d.SendTimeout)
	defer cancel()

	var state herald.PostState
	var hash string
	var err error
	switch p.Sync {
	case "delete":
		state = herald.PostDeleted
		err = pub.Delete(sctx, ch, rec)
	default:
		var a *herald.Article
		a, err = d.Store.Article(ctx, p.ArticleID)
		if err == nil {
			state, hash = herald.PostEdited, a.ContentHash
			dl := Delivery{Post: &p.Post, Article: a, Channel: ch}
			if err = dress(ctx, d.Store, d.Links, &dl); err == nil {
				var now Receipt
				now, err = pub.Edit(sctx, dl, rec)
				if err == nil && now.RemoteID != rec.RemoteID && now.RemoteID != "" {
					// Posted anew: replies and corrections follow the new post.
					if err := d.Store.SetRemoteID(ctx, p.ID, now.RemoteID); err != nil {
						// Left flagged: the next pass finds the new post
						// made (its key is fixed) and records it then.
						log.Error("a post reposted could not be recorded as its new self; trying again", "new_remote_id", now.RemoteID, "err", err)
						return
					}
				}
			}
		}
	}
	if err != nil {
		se := classify(err)
		if se.Failure == RateLimited || se.Failure == NotSent {
			// Leave the flag: the next pass tries again.
			if se.Failure == RateLimited {
				lim, l := d.limiter(ch)
				lim.block(lane(ch), d.Now().Add(l.apiDuration(se.RetryAfter)), false)
			}
			log.Warn("correction deferred", "action", p.Sync, "err", se)
			return
		}
		log.Error("correction failed", "action", p.Sync, "err", se)
		if err := d.Store.SyncDone(ctx, p.ID, p.Sync, p.State, "", p.Sync+" failed: "+se.Error()); err != nil {
			log.Error("could not record a failed correction", "err", err)
		}
		return
	}
	if err := d.Store.SyncDone(ctx, p.ID, p.Sync, state, hash, ""); err != nil {
		log.Error("could not record a correction", "err", err)
		return
	}
	log.Info("post corrected", "action", p.Sync)
}
