package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// scanWorkflow fills the channel's forum topic, filters and approval from
// their columns: the chat column of a channel on a forum topic is
// "chat/topic" (see migration 0015).
func scanWorkflow(c *herald.Channel, include, exclude, approvers string) error {
	if chat, topic, ok := strings.Cut(c.Chat, "/"); ok {
		n, err := strconv.ParseInt(topic, 10, 64)
		if err != nil {
			return fmt.Errorf("channel %d chat %q: %w", c.ID, c.Chat, err)
		}
		c.Chat, c.Topic = chat, n
	}
	if err := json.Unmarshal([]byte(include), &c.Filters.Include); err != nil {
		return fmt.Errorf("channel %d include rules: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(exclude), &c.Filters.Exclude); err != nil {
		return fmt.Errorf("channel %d exclude rules: %w", c.ID, err)
	}
	ids, err := splitIDs(approvers)
	if err != nil {
		return fmt.Errorf("channel %d approvers: %w", c.ID, err)
	}
	c.Approvers = ids
	return nil
}
