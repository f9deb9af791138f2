package importer

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// A mapping file (--map, --save-map) says what columns mean, so that an
// export read once with care imports the same way every week:
//
//	preset = "zendesk"
//
//	[columns]
//	"Requester email" = "customer.email"
//	"Satisfaction Score" = "feedback.csat"
//	"Group" = "attrs"
//
//	[scales]
//	"satisfaction" = "csat-from-0-10"
//
// Columns are named by their header; "attrs" keeps a column in the
// customer's (or ticket's) attributes. Columns the file has and the
// mapping does not name are detected as usual. [scales] says on which
// scale a score column's answers are (see Scale): "csat", "nps",
// "csat-from-0-10", "csat-from-1-10" or "attribute".
type mapFile struct {
	Preset  string            `toml:"preset"`
	Columns map[string]string `toml:"columns"`
	Scales  map[string]string `toml:"scales,omitempty"`
}

// MappingFile is what a mapping file says.
type MappingFile struct {
	Preset  string           // "" = detect
	Columns map[string]Field // for Options.Columns
	Scales  map[string]Scale // for Options.Scales
}

// LoadMappingFile reads a mapping file: its preset, column overrides
// and scales.
func LoadMappingFile(path string) (MappingFile, error) {
	preset, columns, scales, err := loadMapping(path)
	return MappingFile{Preset: preset, Columns: columns, Scales: scales}, err
}

// LoadMapping reads a mapping file: the preset it names ("" = detect) and
// the column overrides for Options.Columns.
// Its [scales] are left out: see LoadMappingFile.
func LoadMapping(path string) (preset string, columns map[string]Field, err error) {
	preset, columns, _, err = loadMapping(path)
	return preset, columns, err
}

func loadMapping(path string) (preset string, columns map[string]Field, scales map[string]Scale, err error) {
	var mf mapFile
	md, err := toml.DecodeFile(path, &mf)
	if err != nil {
		return "", nil, nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return "", nil, nil, fmt.Errorf("mapping %s: unknown key %q (expected preset, [columns] and [scales])", path, und[0].String())
	}
	known := map[string]bool{}
	for _, n := range FieldNames() {
		known[n] = true
	}
	columns = map[string]Field{}
	for h, f := range mf.Columns {
		f = strings.TrimSpace(f)
		if !known[f] {
			return "", nil, nil, fmt.Errorf("mapping %s: column %q: unknown field %q (one of %s)", path, h, f,
				strings.Join(FieldNames(), ", "))
		}
		if f == string(fieldAttr) {
			f = string(FieldNone)
		}
		columns[h] = Field(f)
	}
	scales = map[string]Scale{}
	for h, v := range mf.Scales {
		sc, err := ParseScale(v)
		if err != nil {
			return "", nil, nil, fmt.Errorf("mapping %s: [scales] %q: %w", path, h, err)
		}
		scales[h] = sc
	}
	if mf.Preset != "" {
		if _, err := DetectMapping(nil, mf.Preset); err != nil {
			return "", nil, nil, fmt.Errorf("mapping %s: %w", path, err)
		}
	}
	return mf.Preset, columns, scales, nil
}

// SaveMapping writes the mapping a file was imported with.
func SaveMapping(path string, header []string, m Mapping) error {
	mf := mapFile{Preset: m.Preset, Columns: map[string]string{}}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if h == "" {
			continue
		}
		f := string(fieldAttr)
		if i < len(m.Fields) && m.Fields[i] != FieldNone {
			f = string(m.Fields[i])
		}
		if _, dup := mf.Columns[h]; !dup {
			mf.Columns[h] = f
			if sc := scaleAt(m.Scales, i); sc != ScaleAuto {
				if mf.Scales == nil {
					mf.Scales = map[string]string{}
				}
				mf.Scales[h] = string(sc)
			}
		}
	}
	var buf bytes.Buffer
	buf.WriteString("# Rapport import mapping: what each column means (fields: " + strings.Join(FieldNames(), ", ") + ").\n")
	buf.WriteString("# [scales] (optional) says on which scale a score column is: " + strings.Join(ScaleNames(), ", ") + ".\n")
	buf.WriteString("# Use it with: rapport import --map " + path + " FILE.csv\n")
	if err := toml.NewEncoder(&buf).Encode(mf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Override applies column overrides by header: an exact header first,
// else one alike ignoring case, accents and punctuation. A header the
// file does not have is an error, so a mapping made for another export
// is noticed.
func (m *Mapping) Override(header []string, columns map[string]Field) error {
	names := make([]string, 0, len(columns))
	for h := range columns {
		names = append(names, h)
	}
	sort.Strings(names)
	set := map[int]bool{}
	for _, h := range names {
		i := -1
		for j, col := range header {
			if strings.TrimSpace(strings.TrimPrefix(col, "\uFEFF")) == strings.TrimSpace(h) {
				i = j
				break
			}
		}
		if i < 0 {
			for j, col := range header {
				if normHeader(col) == normHeader(h) {
					i = j
					break
				}
			}
		}
		if i < 0 {
			return fmt.Errorf("the mapping names column %q, which the file does not have", h)
		}
		m.Fields[i] = columns[h]
		set[i] = true
	}
	if m.fixed == nil {
		m.fixed = map[int]bool{}
	}
	for i := range set {
		m.fixed[i] = true
	}
	// A single-valued field named by the mapping leaves the column it was
	// detected on, which becomes an attribute.
	for i, f := range m.Fields {
		if set[i] || f == FieldNone || f == FieldTags || f == FieldCustomerTags {
			continue
		}
		for j := range set {
			if m.Fields[j] == f {
				m.Fields[i] = FieldNone
			}
		}
	}
	return nil
}
