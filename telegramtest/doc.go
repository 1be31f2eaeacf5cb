// Package telegramtest is an in-process fake of the Telegram Bot API,
// faithful enough that a bot passing against it can be trusted against the
// real one. Tests talk to it through github.com/go-telegram/bot:
//
//	srv := telegramtest.NewTestServer(t, telegramtest.WithScale(60))
//	b, err := tgbot.New(srv.Token(), tgbot.WithServerURL(srv.URL()))
//
// It has two faces, each usable from Go and over HTTP.
//
// # The Bot API face
//
// The fake answers /bot<token>/<method> (method names in any case), GET or
// POST, with parameters in the query string, multipart/form-data,
// application/x-www-form-urlencoded or application/json. Answers are
// {"ok":true,"result":...} or {"ok":false,"error_code":N,"description":"...",
// "parameters":{...}} with Telegram's codes and wording, and the HTTP status
// equals error_code. A wrong token gets 401 Unauthorized, an unknown method
// 404 Not Found.
//
// Methods: getMe; getUpdates (offset, limit, long-poll timeout,
// allowed_updates remembered when left out; 409 while a webhook is set, and
// for a waiting poll when a newer one cuts in); setWebhook, deleteWebhook,
// getWebhookInfo (updates are POSTed one at a time to a loopback URL with
// X-Telegram-Bot-Api-Secret-Token, and redelivered with backoff until a 2xx);
// sendMessage; sendPhoto (upload, URL or file_id); editMessageText,
// editMessageCaption, editMessageReplyMarkup; deleteMessage;
// answerCallbackQuery; setMyCommands, getMyCommands, deleteMyCommands (scopes
// and language codes); getChat (linked_chat_id); getChatMember;
// getChatAdministrators; sendChatAction.
//
// It validates as Telegram does: chat not found (400), bot not in the chat,
// removed from it or blocked (403), no administrator rights in a channel
// (400), a group that became a supergroup (400 with migrate_to_chat_id),
// empty text, text over 4096 UTF-16 code units after entity parsing, caption
// over 1024, callback_data over 64 bytes (BUTTON_DATA_INVALID), a button
// without exactly one action, HTML with an unsupported tag, a wrong end tag,
// a tag left open, an unescaped "<" or "&" ("can't parse entities: ..."),
// editing a message that is not there or with nothing changed ("message is
// not modified"). parse_mode HTML is parsed by ParseHTML, which other
// packages may call to check their own output; MarkdownV2 is refused with a
// clear description. Unlike Telegram, which keeps a bare "&" as text, the
// fake refuses it, so that a missing escape shows.
//
// Limits (see Limits) apply to messages sent and edited, in fake time: with
// WithScale(f) time runs f times faster, so limits allow f times more per
// real second and retry_after counts fake seconds. Every 429 served and
// every request that came before its retry_after passed are counted in Stats.
//
// # The simulation face
//
// In Go: AddChat, UserSends, Reply, EditComment, Press, SetReactions,
// InjectUpdate and InjectFault make things happen; Messages, Calls, Answers,
// Stats and Commands show what the bot did; WaitUntil, WaitMessages and
// WaitBotMessages wait for it without sleeping. Over HTTP, the same with
// these bodies:
//
//	POST /fake/chats      {"id":-1001,"type":"channel","title":"...","username":"...",
//	                       "linked_chat_id":-1002,"bot_rights":"admin|member|none",
//	                       "admins":[1001],"migrate_to_chat_id":-1005}
//	                      creates or updates a chat; private chats appear when a user writes
//	POST /fake/send       {"user_id":1001,"chat_id":1001,"text":"/queue","language_code":"en",
//	                       "first_name":"...","username":"...","forward_from":2002}
//	                      a user writes; returns the message
//	POST /fake/reply      {"user_id":3003,"chat_id":-1002,"reply_to_message_id":7,"text":"..."}
//	                      a comment in a discussion group
//	POST /fake/edit       {"user_id":3003,"chat_id":-1002,"message_id":8,"text":"..."}
//	                      a user edits a message: edited_message update
//	POST /fake/press      {"user_id":1001,"chat_id":1001,"message_id":5,"data":"..."}
//	                      presses a button; returns {"callback_query_id":"..."}
//	POST /fake/reactions  {"chat_id":-1001,"message_id":5,"counts":{"👍":3}}
//	POST /fake/updates    {...} a raw update, delivered as given; returns {"update_id":N}
//	POST /fake/faults     {"method":"sendMessage","status":502,"count":3}, or "status_after_store", "delay_ms",
//	                      "drop_after_store":true, "retry_after":5, scoped with "chat_id"
//	GET|DELETE /fake/faults  faults waiting / drop them
//	GET /fake/chats       the chats
//	GET /fake/chats/{id}/messages  the chat's messages, oldest first (see Message)
//	GET /fake/calls?method=NAME    the journal of Bot API calls (see Call)
//	GET /fake/answers     callback answers given
//	GET /fake/stats       call counts, 429s served, early retries, webhook deliveries
//
// Errors answer {"error":"..."} with 404 (not found) or 400.
//
// A bot posting in a channel with a linked discussion group sees, as on
// Telegram, the post arrive in the group as a message with
// is_automatic_forward, forward_origin of type channel and sender_chat the
// channel; readers' comments are replies to that message. Taking the bot's
// rights away (bot_rights "none") sends it a my_chat_member update, and
// later posts there fail with 403 "bot was kicked from the channel chat".
//
// Everything the fake serves and calls is on loopback. "herald
// fake-telegram" runs it as a process.
package telegramtest
