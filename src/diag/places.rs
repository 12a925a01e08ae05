//! Where each key and value of a YAML file sits.
//!
//! serde_yaml gives values without positions, so a diagnostic that names a
//! value used to find it by searching the text, and pointed at its first
//! appearance even when the mistake was a later one. This module parses the
//! text a second time with yaml-rust2's event parser, which carries a mark
//! for every scalar, and records the path of each one: so `ks9` under
//! `signature: {parent: [...]}` is found there, not under `audiences:`.

use super::frontmatter::split;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One scalar of the file: the keys and indices above it, its text, and
/// where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The mapping keys (and sequence indices, as digits) from the top of
    /// the document down to the collection that holds this scalar.
    pub path: Vec<String>,
    /// The scalar's text.
    pub text: String,
    /// Whether it is a mapping key (else a value).
    pub is_key: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Every scalar of `source`, in document order; empty when the text is not
/// YAML the event parser accepts (serde_yaml reports that, with its own
/// position). A Markdown file's front matter (between `---` lines at the
/// top) is read alone, so the Markdown after it does not count.
pub fn places(source: &str) -> Vec<Place> {
    // A clause's front matter is the YAML; its marks count from line 1.
    let (yaml, first_line) = match split(source) {
        Ok(split) => (split.yaml, split.yaml_line),
        Err(_) => (source, 1),
    };
    let mut recorder = Recorder {
        lines_before: first_line - 1,
        ..Recorder::default()
    };
    let mut parser = Parser::new_from_str(yaml);
    if parser.load(&mut recorder, false).is_err() {
        return Vec::new();
    }
    recorder.places
}

/// Where the key at `path` (its parents' keys, then its own) is, in
/// `source`: the key itself, not a value that happens to share its name.
pub fn find_key(source: &str, path: &[&str]) -> Option<(usize, usize)> {
    key_in(&places(source), path)
}

/// [`find_key`] among places already read, for a caller that tries
/// several paths in one file.
pub fn key_in(places: &[Place], path: &[&str]) -> Option<(usize, usize)> {
    let (key, parents) = path.split_last()?;
    places
        .iter()
        .find(|place| place.is_key && place.text == *key && place.path == parents)
        .map(|place| (place.line, place.column))
}

/// Where the value of the key at `path` starts, when it is a single value
/// (not a list or a map).
pub fn find_value(source: &str, path: &[&str]) -> Option<(usize, usize)> {
    places(source)
        .into_iter()
        .find(|place| !place.is_key && place.path == path)
        .map(|place| (place.line, place.column))
}

/// The first place where `needle` is a key or value somewhere beneath the
/// keys `under` (at any depth), in `source`.
pub fn find_under(source: &str, under: &[&str], needle: &str) -> Option<(usize, usize)> {
    places(source)
        .into_iter()
        .find(|place| {
            place.text == needle
                && place.path.len() >= under.len()
                && place
                    .path
                    .iter()
                    .zip(under)
                    .all(|(have, want)| have == want)
        })
        .map(|place| (place.line, place.column))
}

/// A collection being read: a mapping remembers whether the next scalar is
/// a key, and which key it is under; a sequence counts its items.
#[derive(Debug)]
enum Frame {
    Mapping { key: Option<String> },
    Sequence { index: usize },
}

#[derive(Debug, Default)]
struct Recorder {
    stack: Vec<Frame>,
    places: Vec<Place>,
    /// Lines of the file above the YAML (a clause's opening `---`).
    lines_before: usize,
}

impl Recorder {
    /// The path to the collection on top of the stack.
    fn path(&self) -> Vec<String> {
        let mut path = Vec::new();
        for (depth, frame) in self.stack.iter().enumerate() {
            let last = depth + 1 == self.stack.len();
            match frame {
                Frame::Mapping { key: Some(key) } if !last => path.push(key.clone()),
                Frame::Sequence { index } if !last => path.push(index.to_string()),
                _ => {}
            }
        }
        path
    }

    /// A value (scalar or collection) has been read in the current frame.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key }) => *key = None,
            Some(Frame::Sequence { index }) => *index += 1,
            None => {}
        }
    }

    /// Whether the next node in the current frame is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { key: None }))
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                let is_key = self.expects_key();
                let mut path = self.path();
                match self.stack.last() {
                    Some(Frame::Mapping { key: Some(key) }) => path.push(key.clone()),
                    Some(Frame::Sequence { index }) => path.push(index.to_string()),
                    _ => {}
                }
                self.places.push(Place {
                    path,
                    text: text.clone(),
                    is_key,
                    line: mark.line() + self.lines_before,
                    column: mark.col() + 1,
                });
                match self.stack.last_mut() {
                    Some(Frame::Mapping { key }) if is_key => *key = Some(text),
                    _ => self.value_done(),
                }
            }
            Event::MappingStart(..) => self.stack.push(Frame::Mapping { key: None }),
            Event::SequenceStart(..) => self.stack.push(Frame::Sequence { index: 0 }),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            Event::Alias(_) => self.value_done(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOL: &str = "name: Alpha\naudiences:\n  - staff\n  - ks9\nsignature:\n  parent: [ks9]\n  fields: { ks9: [name] }\n";

    #[test]
    fn the_same_value_is_found_where_it_is_asked_for() {
        assert_eq!(find_under(SCHOOL, &["audiences"], "ks9"), Some((4, 5)));
        assert_eq!(
            find_under(SCHOOL, &["signature", "parent"], "ks9"),
            Some((6, 12))
        );
        assert_eq!(
            find_under(SCHOOL, &["signature", "fields"], "ks9"),
            Some((7, 13))
        );
        assert_eq!(find_under(SCHOOL, &["signature"], "ks9"), Some((6, 12)));
        assert_eq!(find_under(SCHOOL, &["values"], "ks9"), None);
    }

    #[test]
    fn paths_name_keys_and_indices() {
        let found = places(SCHOOL);
        let staff = found.iter().find(|p| p.text == "staff").unwrap();
        assert_eq!(staff.path, ["audiences", "0"]);
        let fields = found.iter().find(|p| p.text == "fields").unwrap();
        assert_eq!(fields.path, ["signature"]);
        let name = found
            .iter()
            .find(|p| p.text == "name" && p.line == 7)
            .unwrap();
        assert_eq!(name.path, ["signature", "fields", "ks9", "0"]);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "name: Siân\nexclude: [ks9]\nlabels: { é: ks9 }\n";
        assert_eq!(find_under(text, &["labels"], "ks9"), Some((3, 14)));
    }

    #[test]
    fn a_key_is_found_by_its_path_not_by_a_value_that_shares_its_name() {
        let text = "title: kind\nkind: notice\nsignature:\n  kind: x\n";
        assert_eq!(find_key(text, &["kind"]), Some((2, 1)));
        assert_eq!(find_key(text, &["signature", "kind"]), Some((4, 3)));
        assert_eq!(find_key(text, &["missing"]), None);
        assert_eq!(find_value(text, &["signature", "kind"]), Some((4, 9)));
        assert_eq!(find_value(text, &["signature"]), None);
    }

    #[test]
    fn a_markdown_file_s_front_matter_is_read_alone() {
        let text = "---\nid: a\nwording:\n  ks2: Hi\n---\nThe body: [not yaml\n";
        assert_eq!(find_under(text, &["wording"], "ks2"), Some((4, 3)));
        assert_eq!(find_key(text, &["id"]), Some((2, 1)));
        // As the loader splits it: a byte order mark and CRLF endings too.
        let text = "\u{feff}---\r\nid: a\r\nwording:\r\n  ks2: Hi\r\n---\r\nBody\r\n";
        assert_eq!(find_under(text, &["wording"], "ks2"), Some((4, 3)));
    }

    #[test]
    fn text_that_is_not_yaml_has_no_places() {
        assert!(places("a: [unclosed\n").is_empty());
    }
}
