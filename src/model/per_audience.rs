//! Values given once for every audience or per audience, with a `default`:
//! titles, headings, introductions, numbering and more.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A value that is either the same for every audience or given per audience,
/// with an optional `default` key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PerAudience<T> {
    /// One value for every audience.
    All(T),
    /// Values keyed by audience id, or `default`.
    Map(BTreeMap<String, T>),
}

impl<T> PerAudience<T> {
    /// The value for `audience`: its own entry, else `default`.
    pub fn get(&self, audience: &str) -> Option<&T> {
        match self {
            PerAudience::All(value) => Some(value),
            PerAudience::Map(map) => map.get(audience).or_else(|| map.get("default")),
        }
    }

    /// The audience ids this value names (not `default`).
    pub fn audience_keys(&self) -> Vec<&str> {
        match self {
            PerAudience::All(_) => Vec::new(),
            PerAudience::Map(map) => map
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "default")
                .collect(),
        }
    }

    /// `self` with entries of `base` filled in where `self` has none.
    pub fn merged_over(self, base: Self) -> Self {
        match (self, base) {
            (PerAudience::Map(mut mine), PerAudience::Map(theirs)) => {
                for (k, v) in theirs {
                    mine.entry(k).or_insert(v);
                }
                PerAudience::Map(mine)
            }
            (PerAudience::Map(mut mine), PerAudience::All(value)) => {
                mine.entry("default".into()).or_insert(value);
                PerAudience::Map(mine)
            }
            (all @ PerAudience::All(_), _) => all,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for PerAudience<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PerAudienceVisitor<T>(PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for PerAudienceVisitor<T> {
            type Value = PerAudience<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value, or a map from audience id (or `default`) to a value")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(PerAudience::All)
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(PerAudience::All)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(v.to_string().into_deserializer()).map(PerAudience::All)
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(v.to_string().into_deserializer()).map(PerAudience::All)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(v.to_string().into_deserializer()).map(PerAudience::All)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                BTreeMap::<String, T>::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(PerAudience::Map)
            }
        }

        deserializer.deserialize_any(PerAudienceVisitor(PhantomData))
    }
}
