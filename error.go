package herald

import (
	"errors"
	"fmt"
)

// Error codes for what users see. Adapters translate them: the CLI into an
// exit code and a message, the API into an HTTP status, the bot into a reply.
const (
	ENotFound     = "not_found"
	EInvalid      = "invalid"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EInternal     = "internal"
)

// Error is an error meant to be shown to a person: a code and a message in
// plain words. Field, when set, names the input that was wrong.
type Error struct {
	Code    string
	Field   string
	Message string
	// local holds the message in the languages herald speaks, for errors
	// made to be read by editors in theirs (see ErrorMessageIn).
	local map[Language]string
}

// Error returns the message, prefixed by the field when there is one.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// In returns the message in lang, prefixed by the field when there is one:
// the error's own words in lang when it was made with them, else Error().
func (e *Error) In(lang Language) string {
	if m, ok := e.local[lang]; ok {
		if e.Field != "" {
			return e.Field + ": " + m
		}
		return m
	}
	return e.Error()
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EInvalid error that names the bad field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic sentence for internal errors, whose details belong in logs.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

// internalIn is the generic sentence for internal errors, by language.
var internalIn = map[Language]string{
	LangEnglish:     "internal error",
	LangAzerbaijani: "daxili xəta",
	LangRussian:     "внутренняя ошибка",
}

// ErrorMessageIn is ErrorMessage in lang: the message of the first *Error
// in err's chain in lang when it carries one (the time grammar's do), and
// the generic sentence for internal errors in lang.
func ErrorMessageIn(err error, lang Language) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.In(lang)
	}
	if s, ok := internalIn[lang]; ok {
		return s
	}
	return internalIn[LangEnglish]
}
