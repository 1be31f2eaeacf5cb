package bot

import "github.com/herald-news/herald"

// greeting is what a reader sees on /start without a review link, or /help.
func greeting(lang herald.Language) string {
	switch lang {
	case herald.LangAzerbaijani:
		return "Salam! Bu, «Çətin sual» verilişinin botudur. Kanaldakı yazının altındakı «Rəy bildirin» keçidi ilə yazını qiymətləndirə və fikrinizi bildirə bilərsiniz."
	case herald.LangRussian:
		return "Здравствуйте! Это бот программы «Трудный вопрос». По ссылке «Оставить отзыв» под публикацией в канале вы можете оценить материал и поделиться мнением."
	}
	return "Hello! This is the bot of “Difficult Question”. Follow the “Leave a review” link under a post in the channel to rate it and tell us what you think."
}
