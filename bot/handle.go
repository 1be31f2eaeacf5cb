package bot

import (
	"context"

	"github.com/go-telegram/bot/models"
)

// HandleUpdate handles one update synchronously, exactly as the update loop
// does (the same routing, with the same recovery from a panicking
// handler), for callers that take updates in by other means: benchmarks,
// tests, a webhook front. Failures are logged and answered as in the loop;
// nothing is returned.
func (b *Bot) HandleUpdate(ctx context.Context, u *models.Update) {
	b.recoverer(b.route)(ctx, b.tg, u)
}
