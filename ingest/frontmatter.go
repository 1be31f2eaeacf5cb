package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseFrontMatter reads YAML front matter (the lines between the opening
// and closing "---") into p with a real YAML parser, so that quoting,
// escapes ("what \"AT&T\" means"), block and flow lists and comments mean
// what YAML says. Unknown keys are ignored; a key given twice, a value of
// the wrong shape or YAML that does not parse fails with the line named
// (counted from the top of the file).
func parseFrontMatter(lines []string, p *Page) error {
	src := strings.Join(lines, "\n")
	if strings.TrimSpace(src) == "" {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return invalid("front matter: %s", yamlError(err))
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return invalid("front matter line %d: want \"key: value\" lines", m.Line+1)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := strings.ToLower(strings.TrimSpace(k.Value))
		if seen[key] {
			return invalid("front matter line %d: %s is given twice", k.Line+1, key)
		}
		seen[key] = true
		values, err := scalars(v)
		if err != nil {
			return invalid("front matter line %d: %s: %v", v.Line+1, key, err)
		}
		if isListKey(key) && v.Kind == yaml.SequenceNode {
			// Each item is one name, commas and all.
			p.People = append(p.People, values...)
			continue
		}
		if len(values) > 1 {
			return invalid("front matter line %d: %s: want one value, got a list", v.Line+1, key)
		}
		if len(values) == 1 && values[0] != "" {
			if err := setMeta(p, key, values[0]); err != nil {
				return err
			}
		}
	}
	return nil
}

// isListKey reports whether a front-matter key takes a list of names.
func isListKey(key string) bool {
	switch key {
	case "people", "guests", "experts", "person", "guest", "expert":
		return true
	}
	return false
}

// scalars returns the text of a scalar node, or of each item of a list of
// scalars; null is no value.
func scalars(n *yaml.Node) ([]string, error) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, nil
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("want a list of plain values")
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a value or a list of values, not a map")
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlError makes a YAML error count lines from the top of the file (the
// front matter starts on its second line) and drops the "yaml: " prefix.
func yamlError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		return "line " + strconv.Itoa(n+1)
	})
}
