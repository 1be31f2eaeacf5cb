// Package ingest gets articles into herald: it reads one scraped page in
// any of the formats a newsroom meets (plain text, Markdown with front
// matter, HTML, JSON) and cleans it into one herald.Article.
//
// Parse chooses the format and reads the page into a Page; Clean does the
// format-independent work:
//
//   - Above the headline (opening.go): the page's date line (weekday and
//     date in any of the three languages, with or without a bullet or a
//     time) becomes the published date; an image line "![alt](url)" the
//     image; "last update", "N hours ago", breadcrumbs, section labels,
//     metadata lines and photo credits go. The headline is the first line
//     left; a title over the limit is an error only when there is none.
//   - Site chrome goes, line by line: review and follow prompts, share and
//     navigation buttons, in English, Azerbaijani and Russian (chrome.go),
//     plus Options.Chrome for a source; copyright lines; link labels ending
//     in ':' whose link the scraper lost.
//   - The end of the article is found by what follows it (ending.go): the
//     agency's story codes ("-06В-"), "read also" labels, closing chrome,
//     the show's label, section labels over dashes or headlines, stamped
//     related headlines, a closing run of headline-like lines. A body's
//     own short lines, numbered points and Q&A questions stay.
//   - A body given twice is kept once: a paragraph of more than 40
//     characters seen before goes, and so does a repeated run of
//     paragraphs holding one, separators included. Short lines that a text
//     repeats on purpose ("—", "Yes.") stay.
//   - Blocks of single lines are split into paragraphs where sentences end
//     a line, and hard-wrapped lines are joined (lines.go).
//   - A dateline ("Bakı/23.09.22/Turan:", "Baku, 23 September 2022
//     (Turan):") in the first paragraphs becomes Article.Place and, when
//     the page has no other date, the publish date.
//   - Text is NFC, with non-breaking and other spaces as plain spaces,
//     runs of spaces collapsed, zero-width characters removed; quotes and
//     dashes stay as typed. Links are kept as "text (url)", from HTML
//     <a href> and Markdown [text](url) alike; bare URLs stay as they are.
//   - Kind, language and program come from Options, then from the page's
//     metadata, then from detection. Programs are known by every name a
//     site uses (programs.go, plus Options.Programs) and stored by their
//     stored name. An announcement of a show with an air time is an
//     episode; its air day is read from the page (airday.go) in the
//     agency's zone. When the page does not tell the day, the article gets
//     NeedsEditor instead of a guessed AirAt, and the watcher leaves it to
//     an editor. Other pages naming a show are commentary; the rest news.
//   - Import takes articles only (files.go): other files, hidden files
//     and folders are skipped with the reason.
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
