//! The report vocabulary of DOMAIN.md: roles, cleaning and disturbance categories, amounts, interventions and
//! machines. Each term has a stable wire code (snake_case ASCII), a Swedish label and an English one.

use serde::{Deserialize, Serialize};

/// The language of what a person reads. Swedish first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

/// Defines a vocabulary enum with its wire code and its Swedish and English labels, all in one table.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $sv:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every term, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable wire code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The term from its wire code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// What a person reads.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Sv) => $sv, ($name::$variant, Lang::En) => $en,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// Who holds the phone; decides what they may record and see.
    Role {
        Cleaner = "cleaner", "Plockstädare", "Cleaner";
        Guard = "guard", "Ordningsvakt", "Security guard";
        Manager = "manager", "Platsansvarig", "Site manager";
    }
}

vocabulary! {
    /// What a cleaner reports (städ).
    CleaningCategory {
        Fimpar = "fimpar", "Fimpar", "Cigarette butts";
        Nedskrapning = "nedskrapning", "Nedskräpning", "Litter";
        Snus = "snus", "Snus", "Snus";
        Tuggummi = "tuggummi", "Tuggummi", "Chewing gum";
        Plast = "plast", "Plast/engångsförpackningar", "Single-use packaging";
        Glaskross = "glaskross", "Glaskross", "Broken glass";
        OverfullPapperskorg = "overfull_papperskorg", "Överfull papperskorg", "Overflowing bin";
        Klotter = "klotter", "Klotter", "Graffiti";
        Skadegorelse = "skadegorelse", "Skadegörelse", "Vandalism";
        Kanyler = "kanyler", "Kanyler/sprutor", "Needles";
        Spyor = "spyor", "Spyor/urin/avföring", "Vomit/urine/faeces";
        Annat = "annat", "Annat", "Other";
    }
}

vocabulary! {
    /// How much there was.
    Amount {
        Lite = "lite", "Lite", "A little";
        Mycket = "mycket", "Mycket", "A lot";
        Extremt = "extremt", "Extremt", "Extreme";
    }
}

vocabulary! {
    /// What a guard reports (ordningsvakt). Categories only: never identities.
    DisturbanceCategory {
        Ordningsstorning = "ordningsstorning", "Ordningsstörning", "Public disorder";
        Berusad = "berusad", "Berusad person", "Intoxicated person";
        BrakVald = "brak_vald", "Bråk/våld", "Fight/violence";
        Hot = "hot", "Hot", "Threats";
        HotMotPersonal = "hot_mot_personal", "Hot mot personal", "Threats against staff";
        Narkotika = "narkotika", "Misstänkt narkotikaförsäljning/-bruk", "Suspected drug dealing/use";
        Folksamling = "folksamling", "Folksamling som skapar otrygghet", "Crowd causing insecurity";
        StodBehov = "stodbehov", "Person i behov av stöd", "Vulnerable person";
        Skadegorelse = "skadegorelse", "Skadegörelse", "Vandalism";
        Annat = "annat", "Annat", "Other";
    }
}

vocabulary! {
    /// A guard's interventions, recorded as counts.
    Intervention {
        Avvisning = "avvisning", "Avvisning", "Turned away";
        Avlagsnande = "avlagsnande", "Avlägsnande", "Removal";
        Omhandertagande = "omhandertagande", "Omhändertagande (LOB/13 § PL)", "Taken into custody (LOB/13 § PL)";
        Gripande = "gripande", "Gripande", "Arrest";
        Skyddsvisitation = "skyddsvisitation", "Skyddsvisitation", "Protective search";
        Beslag = "beslag", "Beslag", "Seizure";
        PolisTillkallad = "polis", "Polis tillkallad", "Police called";
        AmbulansTillkallad = "ambulans", "Ambulans tillkallad", "Ambulance called";
    }
}

vocabulary! {
    /// The machines a cleaner drives.
    MachineKind {
        Fimpsug = "fimpsug", "Fimpsug", "Butt vacuum";
        Skurmaskin = "skurmaskin", "Skurmaskin", "Floor scrubber";
    }
}

impl MachineKind {
    /// The default cleaning width in metres: the path is buffered by half of it on each side.
    pub fn cleaning_width_m(self) -> f64 {
        match self {
            MachineKind::Fimpsug => 1.0,
            MachineKind::Skurmaskin => 0.8,
        }
    }
}

/// The urgency of a disturbance: 1 akut (red), 2 uppmärksamma (yellow), 3 rutin (green).
pub fn level_label(level: u8, lang: Lang) -> &'static str {
    match (level, lang) {
        (1, Lang::Sv) => "1 Akut",
        (2, Lang::Sv) => "2 Uppmärksamma",
        (3, Lang::Sv) => "3 Rutin",
        (1, Lang::En) => "1 Urgent",
        (2, Lang::En) => "2 Attention",
        (3, Lang::En) => "3 Routine",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serialize_as_codes() {
        for c in CleaningCategory::ALL {
            assert_eq!(CleaningCategory::from_code(c.code()), Some(*c));
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", c.code())
            );
        }
        for c in DisturbanceCategory::ALL {
            assert_eq!(DisturbanceCategory::from_code(c.code()), Some(*c));
        }
        assert_eq!(
            Intervention::from_code("polis"),
            Some(Intervention::PolisTillkallad)
        );
        assert!(CleaningCategory::from_code("glasburk").is_none());
    }

    #[test]
    fn labels_are_swedish_first() {
        assert_eq!(
            CleaningCategory::OverfullPapperskorg.label(Lang::Sv),
            "Överfull papperskorg"
        );
        assert_eq!(
            CleaningCategory::OverfullPapperskorg.label(Lang::En),
            "Overflowing bin"
        );
        assert_eq!(Role::Guard.label(Lang::default()), "Ordningsvakt");
    }
}
