package bot

import (
	"context"
	"errors"
	"strings"

	tgbot "github.com/go-telegram/bot"
)

// unstartedOwners asks Telegram for each owner's private chat (getChat,
// which sends nothing) and returns the owners who have never pressed Start
// in the bot: Telegram lets a bot write only to people who have, so they
// would get no notice and no digest. Telegram answers "chat not found" for
// them. Any other failure is returned; the owners found so far still are.
func unstartedOwners(ctx context.Context, tg *tgbot.Bot, owners []int64) ([]int64, error) {
	var missing []int64
	for _, id := range owners {
		_, err := tg.GetChat(ctx, &tgbot.GetChatParams{ChatID: id})
		switch {
		case err == nil:
		case errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "chat not found"),
			errors.Is(err, tgbot.ErrorForbidden):
			// Forbidden: the owner started the bot once and blocked it since.
			missing = append(missing, id)
		default:
			return missing, err
		}
	}
	return missing, nil
}

// warnUnstartedOwners names, in the log at start, each owner herald cannot
// write to.
func (b *Bot) warnUnstartedOwners(ctx context.Context) {
	missing, err := unstartedOwners(ctx, b.tg, b.cfg.Owners)
	for _, id := range missing {
		b.log.Warn("an owner has never started the bot (or blocked it): herald cannot send them notices or the digest; ask them to open the bot and press Start",
			"owner", id, "variable", "HERALD_OWNERS")
	}
	if err != nil && ctx.Err() == nil {
		b.log.Warn("could not check that the owners started the bot", "err", b.redact(err.Error()))
	}
}
