//! A site's vocabulary: which cleaning categories, disturbance categories and machines (with their
//! cleaning widths) a site uses. Given in the plan file's collection `properties`:
//!
//! ```json
//! "vocabulary": {"cleaning": ["fimpar", "snus"], "disturbance": ["berusad", "annat"],
//!                "machines": [{"kind": "fimpsug", "width_m": 0.3}]}
//! ```
//!
//! An absent `vocabulary`, or an absent list in it, means every term of the built-in vocabulary (and a
//! machine's default width), so a plan without one (the Plattan's) keeps working unchanged. A code the
//! build does not know is an error, not a term silently dropped: a typo would otherwise hide a category.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::SiteError;
use crate::op::Classification;
use crate::vocab::{CleaningCategory, DisturbanceCategory, MachineKind};

/// The narrowest and widest cleaning width a plan may give (metres).
pub const WIDTH_RANGE_M: (f64, f64) = (0.05, 5.0);

/// A machine a site uses, with the width it cleans.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteMachine {
    pub kind: MachineKind,
    pub width_m: f64,
}

/// A term of the vocabulary, to say which one a site does not use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    Cleaning(CleaningCategory),
    Disturbance(DisturbanceCategory),
    Machine(MachineKind),
}

impl From<Classification> for Term {
    fn from(c: Classification) -> Term {
        match c {
            Classification::Cleaning(c) => Term::Cleaning(c),
            Classification::Disturbance(d) => Term::Disturbance(d),
        }
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Term::Cleaning(c) => write!(f, "the cleaning category '{c}'"),
            Term::Disturbance(d) => write!(f, "the disturbance category '{d}'"),
            Term::Machine(m) => write!(f, "the machine '{m}'"),
        }
    }
}

/// What a site uses, each list in the built-in display order.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteVocabulary {
    pub cleaning: Vec<CleaningCategory>,
    pub disturbance: Vec<DisturbanceCategory>,
    pub machines: Vec<SiteMachine>,
}

impl Default for SiteVocabulary {
    /// Every term, default widths.
    fn default() -> Self {
        SiteVocabulary {
            cleaning: CleaningCategory::ALL.to_vec(),
            disturbance: DisturbanceCategory::ALL.to_vec(),
            machines: MachineKind::ALL
                .iter()
                .map(|&kind| SiteMachine {
                    kind,
                    width_m: kind.cleaning_width_m(),
                })
                .collect(),
        }
    }
}

fn bad(why: impl Into<String>) -> SiteError {
    SiteError::Vocabulary(why.into())
}

/// A list of codes, each known to `from_code`, sorted into display order without repeats.
fn codes<T: Ord + Copy>(
    v: Option<&Value>,
    list: &'static str,
    all: &[T],
    from_code: fn(&str) -> Option<T>,
) -> Result<Vec<T>, SiteError> {
    let Some(v) = v else {
        return Ok(all.to_vec());
    };
    let items = v
        .as_array()
        .ok_or_else(|| bad(format!("'{list}' must be a list of codes")))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let code = item
            .as_str()
            .ok_or_else(|| bad(format!("'{list}' must be a list of codes")))?;
        out.push(from_code(code).ok_or_else(|| SiteError::UnknownTerm {
            list,
            code: code.to_owned(),
        })?);
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(bad(format!(
            "'{list}' is empty; leave it out to use every term"
        )));
    }
    Ok(out)
}

fn machines(v: Option<&Value>) -> Result<Vec<SiteMachine>, SiteError> {
    let Some(v) = v else {
        return Ok(SiteVocabulary::default().machines);
    };
    let items = v
        .as_array()
        .ok_or_else(|| bad("'machines' must be a list of {\"kind\", \"width_m\"}"))?;
    let mut out: Vec<SiteMachine> = Vec::with_capacity(items.len());
    for item in items {
        let code = item
            .get("kind")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a machine needs a 'kind'"))?;
        let kind = MachineKind::from_code(code).ok_or_else(|| SiteError::UnknownTerm {
            list: "machines",
            code: code.to_owned(),
        })?;
        let width_m = match item.get("width_m") {
            None => kind.cleaning_width_m(),
            Some(w) => w
                .as_f64()
                .filter(|w| (WIDTH_RANGE_M.0..=WIDTH_RANGE_M.1).contains(w))
                .ok_or_else(|| {
                    bad(format!(
                        "the width of '{code}' must be {} to {} metres",
                        WIDTH_RANGE_M.0, WIDTH_RANGE_M.1
                    ))
                })?,
        };
        if out.iter().any(|m| m.kind == kind) {
            return Err(bad(format!("the machine '{code}' is listed twice")));
        }
        out.push(SiteMachine { kind, width_m });
    }
    out.sort_by_key(|m| m.kind);
    if out.is_empty() {
        return Err(bad(
            "'machines' is empty; leave it out to use every machine",
        ));
    }
    Ok(out)
}

impl SiteVocabulary {
    /// From the collection's `vocabulary` property (absent: every term).
    pub fn from_json(v: Option<&Value>) -> Result<SiteVocabulary, SiteError> {
        let Some(v) = v else {
            return Ok(SiteVocabulary::default());
        };
        if !v.is_object() {
            return Err(bad("'vocabulary' must be an object"));
        }
        Ok(SiteVocabulary {
            cleaning: codes(
                v.get("cleaning"),
                "cleaning",
                CleaningCategory::ALL,
                CleaningCategory::from_code,
            )?,
            disturbance: codes(
                v.get("disturbance"),
                "disturbance",
                DisturbanceCategory::ALL,
                DisturbanceCategory::from_code,
            )?,
            machines: machines(v.get("machines"))?,
        })
    }

    pub fn machine(&self, kind: MachineKind) -> Option<&SiteMachine> {
        self.machines.iter().find(|m| m.kind == kind)
    }

    /// The cleaning width of a machine on this site (metres): the site's, or the machine's default for a
    /// kind the site does not use (a run recorded before the site dropped it still draws).
    pub fn width_m(&self, kind: MachineKind) -> f64 {
        self.machine(kind)
            .map_or_else(|| kind.cleaning_width_m(), |m| m.width_m)
    }

    /// The width of a machine of unknown kind: the narrowest the site uses (the strictest accuracy rule).
    pub fn narrowest_width_m(&self) -> f64 {
        self.machines
            .iter()
            .map(|m| m.width_m)
            .fold(f64::INFINITY, f64::min)
    }

    /// Whether the site uses a term; `Err(term)` names the one it does not.
    pub fn allows(&self, term: Term) -> Result<(), Term> {
        let ok = match term {
            Term::Cleaning(c) => self.cleaning.contains(&c),
            Term::Disturbance(d) => self.disturbance.contains(&d),
            Term::Machine(m) => self.machine(m).is_some(),
        };
        if ok { Ok(()) } else { Err(term) }
    }
}
