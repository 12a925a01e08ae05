//! A school's systems: the software and services it uses, by kind. The
//! agreements name them (`{{ systems.mis }}`); a privacy notice lists them
//! as the processors that hold a reader's information, each with what it is
//! for, what it holds, where it is hosted and how long it keeps data.
//!
//! A system is written either as its name alone (`mis: Tallyhouse MIS`) or
//! as a map with those facts. Both read into [`System`]; a name alone is
//! written back as a name, so files and reports that never used the facts
//! look as they always did. The lists a notice prints are built here as
//! Markdown blocks from the facts, never from text spliced into a template.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::model::markdown::{Block, Inline};

/// One system a school uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Its name, as readers know it: "Tallyhouse MIS".
    pub name: String,
    /// What the school uses it for: "pupil records, attendance and
    /// assessment".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The information it holds: "names, dates of birth, contacts…".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Where it is hosted: "in the UK".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosted: Option<String>,
    /// How long it keeps the information, completing "kept …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<String>,
    /// Where data goes outside the UK and the safeguard that protects it,
    /// e.g. "to the USA, under the UK Extension to the EU-US Data Privacy
    /// Framework"; absent when it stays in the UK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_uk: Option<String>,
    /// Whose information it holds, by audience (default: everyone's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiences: Option<Vec<String>>,
}

/// The facts a privacy notice prints for every processor, by key.
pub const PROCESSOR_FACTS: [&str; 4] = ["purpose", "data", "hosted", "kept"];

impl System {
    /// Whether the system is written as its name alone.
    fn name_only(&self) -> bool {
        *self
            == System {
                name: self.name.clone(),
                ..System::default()
            }
    }

    /// Whether it holds the information of `audience`'s readers.
    pub fn holds_data_of(&self, audience: &str, members: &[String]) -> bool {
        self.audiences.as_ref().is_none_or(|list| {
            list.iter()
                .any(|a| a == audience || members.iter().any(|m| m == a))
        })
    }

    /// The value of one of [`PROCESSOR_FACTS`].
    pub fn fact(&self, key: &str) -> Option<&str> {
        match key {
            "purpose" => self.purpose.as_deref(),
            "data" => self.data.as_deref(),
            "hosted" => self.hosted.as_deref(),
            "kept" => self.kept.as_deref(),
            _ => None,
        }
        .filter(|v| !v.trim().is_empty())
    }

    /// The processor facts it lacks, in [`PROCESSOR_FACTS`] order.
    pub fn missing_facts(&self) -> Vec<&'static str> {
        PROCESSOR_FACTS
            .into_iter()
            .filter(|key| self.fact(key).is_none())
            .collect()
    }
}

/// Reads a system written as a name or as a map of facts; a map's errors
/// keep their place in the file.
impl<'de> Deserialize<'de> for SystemEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = SystemEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a system's name, or a map with `name`, `purpose`, `data`, `hosted` and `kept`",
                )
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<SystemEntry, E> {
                Ok(SystemEntry(System {
                    name: name.to_string(),
                    ..System::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SystemEntry, A::Error> {
                System::deserialize(MapAccessDeserializer::new(map)).map(SystemEntry)
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// A system as a school file writes it: [`System`], read from a name or a
/// map, and written back the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemEntry(pub System);

impl std::ops::Deref for SystemEntry {
    type Target = System;
    fn deref(&self) -> &System {
        &self.0
    }
}

impl Serialize for SystemEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.name_only() {
            serializer.serialize_str(&self.0.name)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// The list a notice prints for `{{ processors }}`: each system holding
/// the reader's information, its name in bold, then what it is for, what
/// it holds, where it is hosted and how long it keeps it. `labels` gives
/// the words before each fact ("for", "holds", "hosted", "kept").
pub fn processor_list<'a>(systems: impl IntoIterator<Item = &'a System>) -> Block {
    let items = systems
        .into_iter()
        .map(|system| {
            let mut line = vec![Inline::Strong {
                c: vec![text(&system.name)],
            }];
            let facts: Vec<String> = [
                system.fact("purpose").map(|v| format!("for {v}")),
                system.fact("data").map(|v| format!("holds {v}")),
                system.fact("hosted").map(|v| format!("hosted {v}")),
                system.fact("kept").map(|v| format!("kept {v}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !facts.is_empty() {
                line.push(text(&format!(": {}.", facts.join("; "))));
            }
            vec![Block::Para { c: line }]
        })
        .collect();
    Block::List {
        ordered: false,
        items,
    }
}

/// The list a notice prints for `{{ transfers }}`: each system that sends
/// the reader's information outside the UK, and the safeguard.
pub fn transfer_list<'a>(systems: impl IntoIterator<Item = &'a System>) -> Block {
    let items = systems
        .into_iter()
        .filter_map(|system| {
            let outside = system.outside_uk.as_deref()?;
            Some(vec![Block::Para {
                c: vec![
                    Inline::Strong {
                        c: vec![text(&system.name)],
                    },
                    text(&format!(": {outside}.")),
                ],
            }])
        })
        .collect();
    Block::List {
        ordered: false,
        items,
    }
}

fn text(v: &str) -> Inline {
    Inline::Text { v: v.to_string() }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn read(yaml: &str) -> BTreeMap<String, SystemEntry> {
        serde_yaml::from_str(yaml).expect("reads")
    }

    #[test]
    fn a_system_is_a_name_or_a_map_of_facts_and_is_written_back_as_it_came() {
        let systems = read("mis: Tallyhouse MIS\nemail:\n  name: Kestrel Mail\n  purpose: email\n");
        assert_eq!(systems["mis"].name, "Tallyhouse MIS");
        assert_eq!(systems["email"].purpose.as_deref(), Some("email"));
        let back = serde_yaml::to_string(&systems).expect("writes");
        assert_eq!(
            back,
            "email:\n  name: Kestrel Mail\n  purpose: email\nmis: Tallyhouse MIS\n"
        );
    }

    #[test]
    fn an_unknown_fact_is_an_error_at_its_line() {
        let error = serde_yaml::from_str::<BTreeMap<String, SystemEntry>>(
            "mis:\n  name: Tallyhouse\n  hosting: UK\n",
        )
        .expect_err("hosting is not a fact");
        assert!(
            error.to_string().contains("unknown field `hosting`"),
            "{error}"
        );
        assert_eq!(error.location().map(|l| l.line()), Some(3));
    }

    #[test]
    fn missing_facts_are_named_in_order_and_blank_ones_count_as_missing() {
        let systems = read("mis: { name: T, purpose: records, kept: '  ' }\n");
        assert_eq!(systems["mis"].missing_facts(), ["data", "hosted", "kept"]);
    }

    #[test]
    fn the_processor_list_keeps_every_value_as_literal_text() {
        let systems = read("mis: { name: '*Tally* [x](javascript:1)', purpose: records, data: names, hosted: in the UK, kept: for 6 years }\n");
        let list = processor_list(systems.values().map(|s| &s.0));
        let Block::List { items, .. } = list else {
            panic!("a list")
        };
        assert_eq!(
            crate::model::markdown::plain_text(&items[0]),
            "*Tally* [x](javascript:1): for records; holds names; hosted in the UK; kept for 6 years."
        );
    }

    #[test]
    fn a_system_for_some_audiences_holds_only_their_data() {
        let systems = read("lp: { name: Quillpath, audiences: [ks2, parent] }\nmis: Tally\n");
        assert!(systems["lp"].holds_data_of("ks2", &[]));
        assert!(!systems["lp"].holds_data_of("staff", &[]));
        assert!(systems["lp"].holds_data_of("helpers", &["ks2".into()]));
        assert!(systems["mis"].holds_data_of("staff", &[]));
    }
}
