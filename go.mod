module github.com/herald-news/herald

go 1.26.0

require (
	github.com/go-telegram/bot v1.19.0
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/robfig/cron/v3 v3.0.1
	golang.org/x/net v0.62.0
	golang.org/x/text v0.44.0
)

require golang.org/x/image v0.48.0 // indirect
