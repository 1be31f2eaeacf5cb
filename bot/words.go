package bot

import "github.com/herald-news/herald"

// greeting is what a reader sees on /start without a review link, or /help.
func greeting(lang herald.Language) string { return tr(lang, msgGreeting) }
