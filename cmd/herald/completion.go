package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// subcommands lists the commands that take a second word, and the words.
var subcommands = map[string][]string{
	"channel":    {"add", "set", "list", "test", "remove"},
	"feed":       {"add", "list", "remove"},
	"post":       {"now", "cancel", "reschedule", "retry", "send-again", "sent", "edit", "approve", "reject", "keep-edit", "drop-edit"},
	"completion": {"bash", "zsh", "fish"},
	"article":    {"preview"}, // or an article's id
}

// flagLine finds a flag in the usage the flag package prints.
var flagLine = regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`)

// commandFlags asks each command for its --help, in-process, and reads the
// flags off it, so that completion never falls behind the commands.
func commandFlags(ctx context.Context, e *env) map[string][]string {
	out := map[string][]string{}
	ask := func(key string, name string, args []string) {
		var buf bytes.Buffer
		sub := &env{args: args, name: name, stdin: strings.NewReader(""), stdout: &buf, stderr: &buf, getenv: func(string) string { return "" }}
		commands()[name].run(ctx, sub)
		seen := map[string]bool{}
		for _, m := range flagLine.FindAllStringSubmatch(buf.String(), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out[key] = append(out[key], "--"+m[1])
			}
		}
		sort.Strings(out[key])
	}
	for name := range commands() {
		switch {
		case name == "completion":
		case subcommands[name] != nil:
			for _, s := range subcommands[name] {
				ask(name+" "+s, name, []string{s, "--help"})
			}
		default:
			ask(name, name, []string{"--help"})
		}
	}
	return out
}

func cmdCompletion(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "completion", "bash|zsh|fish\n\nPrints a completion script for the shell. For example:\n  bash: source <(herald completion bash)   (or save it in /etc/bash_completion.d/herald)\n  zsh:  herald completion zsh > \"${fpath[1]}/_herald\"\n  fish: herald completion fish > ~/.config/fish/completions/herald.fish")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "herald completion: name the shell: bash, zsh or fish")
		fs.Usage()
		return exitUsage
	}
	names := make([]string, 0)
	for n := range commands() {
		names = append(names, n)
	}
	sort.Strings(names)
	flags := commandFlags(ctx, e)
	switch fs.Arg(0) {
	case "bash":
		fmt.Fprint(e.stdout, bashCompletion(names, flags))
	case "zsh":
		fmt.Fprint(e.stdout, "#compdef herald\n\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion(names, flags))
	case "fish":
		fmt.Fprint(e.stdout, fishCompletion(names, flags))
	default:
		fmt.Fprintf(e.stderr, "herald completion: %q is not a shell herald knows: want bash, zsh or fish\n", fs.Arg(0))
		return exitUsage
	}
	return exitOK
}

// bashCompletion completes the command, its second word and its flags;
// zsh runs the same script through bashcompinit.
func bashCompletion(names []string, flags map[string][]string) string {
	var b strings.Builder
	b.WriteString("# bash completion for herald; source it or put it in /etc/bash_completion.d/\n")
	b.WriteString("_herald() {\n")
	b.WriteString("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\" sub=\"${COMP_WORDS[2]}\" words=\"\"\n")
	fmt.Fprintf(&b, "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W %q -- \"$cur\")); return\n  fi\n", strings.Join(append(names, "--version", "--help"), " "))
	b.WriteString("  case \"$cmd\" in\n")
	for _, n := range names {
		if subs, ok := subcommands[n]; ok {
			fmt.Fprintf(&b, "  %s)\n    if [ \"$COMP_CWORD\" -eq 2 ]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n    case \"$sub\" in\n", n, strings.Join(subs, " "))
			for _, s := range subs {
				fmt.Fprintf(&b, "    %s) words=%q ;;\n", s, strings.Join(flags[n+" "+s], " "))
			}
			b.WriteString("    esac ;;\n")
			continue
		}
		fmt.Fprintf(&b, "  %s) words=%q ;;\n", n, strings.Join(flags[n], " "))
	}
	b.WriteString("  esac\n")
	b.WriteString("  if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n")
	b.WriteString("}\ncomplete -F _herald herald\n")
	return b.String()
}

func fishCompletion(names []string, flags map[string][]string) string {
	var b strings.Builder
	b.WriteString("# fish completion for herald\ncomplete -c herald -f\n")
	fmt.Fprintf(&b, "complete -c herald -n __fish_use_subcommand -a %q\n", strings.Join(names, " "))
	b.WriteString("complete -c herald -n __fish_use_subcommand -l version -d 'print the version'\n")
	for _, n := range names {
		if subs, ok := subcommands[n]; ok {
			fmt.Fprintf(&b, "complete -c herald -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a %q\n", n, strings.Join(subs, " "), strings.Join(subs, " "))
			for _, s := range subs {
				for _, f := range flags[n+" "+s] {
					fmt.Fprintf(&b, "complete -c herald -n '__fish_seen_subcommand_from %s; and __fish_seen_subcommand_from %s' -l %s\n", n, s, strings.TrimPrefix(f, "--"))
				}
			}
			continue
		}
		for _, f := range flags[n] {
			fmt.Fprintf(&b, "complete -c herald -n '__fish_seen_subcommand_from %s' -l %s\n", n, strings.TrimPrefix(f, "--"))
		}
	}
	return b.String()
}
