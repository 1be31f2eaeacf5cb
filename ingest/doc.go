// Package ingest gets articles into herald: it reads one scraped page in
// any of the formats a newsroom meets (plain text, Markdown with front
// matter, HTML, JSON) and cleans it into one herald.Article.
//
// Parse chooses the format and reads the page into a Page; Clean does the
// format-independent work:
//
//   - Site chrome goes, line by line: review and follow prompts, section
//     labels, share and navigation buttons, in English, Azerbaijani and
//     Russian (chrome.go), plus Options.Chrome for a source; copyright
//     lines; link labels ending in ':' whose link the scraper lost.
//   - The list of related headlines that follows a body ("Headline",
//     "16.02.2024 23:04") goes from its first stamp to the end.
//   - A body given twice is kept once: a paragraph of more than 40
//     characters seen before goes, and so does a repeated run of
//     paragraphs holding one, separators included. Short lines that a text
//     repeats on purpose ("—", "Yes.") stay.
//   - The title is the marked one (front matter, JSON, <h1>, "# "), else
//     the first line; the lead is the first paragraph and is not repeated
//     in the body; paragraphs are separated by one blank line, and a line
//     break inside one (<br>) is kept as "\n".
//   - A dateline ("Bakı/23.09.22/Turan:", "Baku, 23 September 2022
//     (Turan):") is cut from the lead into Article.Place and, when the page
//     has no date, the publish date.
//   - Text is NFC, with non-breaking and other spaces as plain spaces,
//     runs of spaces collapsed, zero-width characters removed; quotes and
//     dashes stay as typed. Links are kept as "text (url)", from HTML
//     <a href> and Markdown [text](url) alike; bare URLs stay as they are.
//   - Kind, language and program come from Options, then from the page's
//     metadata, then from detection: an announcement of the show with an
//     air time ("at 21:00", "saat 21:00-da", "в 21:00") is an episode with
//     AirAt on its publish date in the agency's zone; other pages naming
//     the show are commentary; the rest news. The program is stored by its
//     English name, ProgramName, in every language.
//
// FeedPoller brings articles in from RSS, Atom and JSON feeds (read with
// mmcdole/gofeed). Each feed due is fetched with a conditional GET
// (If-None-Match, If-Modified-Since; a 304 means nothing new), within a
// timeout and a size cap, with a User-Agent naming herald; a feed that
// fails is retried with capped exponential backoff and jitter, its error
// kept on the feed. Each item becomes a Page (title, content or else
// description, its HTML read as above, link, GUID, dates, image, a
// category naming a kind) and goes through Clean and the same Upserter as
// imports. An item with only a summary, on a feed set to fetch pages, has
// its page fetched and the article extracted with go-readability before
// cleaning, falling back to the summary. Items published before the feed
// was added (less its window) are stored only once the watcher takes them
// for old news, so a feed with a long history does not flood the channels.
//
// Bad input (empty, binary, invalid UTF-8, over herald.MaxBodyBytes, no
// title, malformed metadata) fails with an EInvalid *herald.Error naming
// the page and the reason. Nothing here panics on any input.
package ingest
