//! What went wrong, in the person's language, and what they can do about it: the server's refusals of an
//! operation (sent as a code beside English words), failed syncs and enrollments, and the phone's own
//! refusals before saving. English text from the server is shown only for a code this build does not know.

use torgkoll_shared::invalid::{Action, Invalid, TimeField};
use torgkoll_shared::site::Term;
use torgkoll_shared::{Lang, Role};

use crate::store::{Refusal, StoreError};
use crate::sync::{Failure, FailureKind};

fn pick(lang: Lang, sv: String, en: String) -> String {
    if lang == Lang::Sv { sv } else { en }
}

fn action(a: Action, lang: Lang) -> &'static str {
    match (a, lang) {
        (Action::ReportDisturbances, Lang::Sv) => "rapportera störningar",
        (Action::RequestCleaning, Lang::Sv) => "begära städning från en störning",
        (Action::ChangeDisturbance, Lang::Sv) => "ändra en störning",
        (Action::Triage, Lang::Sv) => "granska, klassa om eller markera dubbletter",
        (Action::LogRuns, Lang::Sv) => "logga maskinkörningar",
        (Action::TakeAlert, Lang::Sv) => "ta en störning",
        (Action::TakeTask, Lang::Sv) => "ta ett städuppdrag",
        (Action::ReportDisturbances, Lang::En) => "report disturbances",
        (Action::RequestCleaning, Lang::En) => "request cleaning from a disturbance",
        (Action::ChangeDisturbance, Lang::En) => "change a disturbance",
        (Action::Triage, Lang::En) => "review, reclassify or mark duplicates",
        (Action::LogRuns, Lang::En) => "log machine runs",
        (Action::TakeAlert, Lang::En) => "take a disturbance",
        (Action::TakeTask, Lang::En) => "take a cleaning task",
    }
}

fn time_field(t: TimeField, lang: Lang) -> &'static str {
    match (t, lang) {
        (TimeField::WallTime, Lang::Sv) => "telefonens tid",
        (TimeField::StartTime, Lang::Sv) => "starttiden",
        (TimeField::StopTime, Lang::Sv) => "stopptiden",
        (TimeField::PointTime, Lang::Sv) => "en punkts tid",
        (TimeField::TimeItHappened, Lang::Sv) => "när det hände",
        (TimeField::ShiftStart, Lang::Sv) => "passets start",
        (t, Lang::En) => match t {
            TimeField::WallTime => "the phone's time",
            TimeField::StartTime => "the start time",
            TimeField::StopTime => "the stop time",
            TimeField::PointTime => "a point's time",
            TimeField::TimeItHappened => "when it happened",
            TimeField::ShiftStart => "the shift's start",
        },
    }
}

/// A term of a site's vocabulary, as in "Kategorin Kanyler/sprutor".
fn term_text(t: Term, lang: Lang) -> String {
    match (t, lang) {
        (Term::Cleaning(c), Lang::Sv) => format!("städkategorin {}", c.label(lang)),
        (Term::Disturbance(d), Lang::Sv) => format!("störningskategorin {}", d.label(lang)),
        (Term::Machine(m), Lang::Sv) => format!("maskinen {}", m.label(lang)),
        (Term::Cleaning(c), Lang::En) => format!("the cleaning category {}", c.label(lang)),
        (Term::Disturbance(d), Lang::En) => format!("the disturbance category {}", d.label(lang)),
        (Term::Machine(m), Lang::En) => format!("the machine {}", m.label(lang)),
    }
}

fn role(r: Role, lang: Lang) -> String {
    r.label(lang).to_lowercase()
}

/// Why an operation is refused, and what to do.
pub fn invalid_text(why: &Invalid, lang: Lang) -> String {
    const SET_CLOCK_SV: &str = "Ställ in rätt tid i telefonen.";
    const SET_CLOCK_EN: &str = "Set the right time on the phone.";
    use Invalid::*;
    match why {
        NoteTooLong(n) => pick(
            lang,
            format!("Anteckningen är {n} tecken; högst 280 får plats. Korta den."),
            format!("The note is {n} characters; at most 280 fit. Shorten it."),
        ),
        Level(_) => pick(lang, "Nivån ska vara 1, 2 eller 3.".into(), "The level must be 1, 2 or 3.".into()),
        People(_) => pick(lang, "Antalet personer ska vara 1–500.".into(), "The number of people must be 1–500.".into()),
        InterventionCount(_) => pick(
            lang,
            "Ett ingripande räknas 1–100 gånger.".into(),
            "An intervention counts 1 to 100 times.".into(),
        ),
        Outside(o) => pick(
            lang,
            format!("Platsen ligger {:.0} m utanför området. Tryck inom området på kartan.", o.distance_m),
            format!("The spot is {:.0} m outside the site. Tap inside the site on the map.", o.distance_m),
        ),
        NotANumber => pick(lang, "Platsen saknas. Tryck på kartan.".into(), "The spot is missing. Tap the map.".into()),
        Accuracy => pick(
            lang,
            "Positionens noggrannhet går inte att läsa. Tryck på kartan i stället.".into(),
            "The position's accuracy cannot be read. Tap the map instead.".into(),
        ),
        PhotoRef => pick(
            lang,
            "Fotot gick inte att läsa eller är för stort. Ta det igen.".into(),
            "The photo cannot be read or is too large. Take it again.".into(),
        ),
        TooManyPhotos => pick(
            lang,
            "Rapporten har redan 4 foton. Fler får inte plats.".into(),
            "The report already has 4 photos. No more fit.".into(),
        ),
        NotAllowed { role: r, action: a } => pick(
            lang,
            format!("En {} får inte {}. Be platsansvarig om hjälp.", role(*r, lang), action(*a, lang)),
            format!("A {} may not {}. Ask the site manager.", role(*r, lang), action(*a, lang)),
        ),
        UnknownTarget(_) => pick(
            lang,
            "Rapporten finns inte på servern (den kan ha ångrats). Inget mer att göra.".into(),
            "The report is not on the server (it may have been undone). Nothing more to do.".into(),
        ),
        NotAuthor(_) => pick(
            lang,
            "Bara telefonen som gjorde rapporten får ändra den.".into(),
            "Only the phone that made the report may change it.".into(),
        ),
        WrongKind => pick(
            lang,
            "En städkategori kan inte ges till en störning, eller tvärtom.".into(),
            "A cleaning category cannot be given to a disturbance, nor the other way round.".into(),
        ),
        MachineName => pick(lang, "Maskinens namn ska vara 1–40 tecken.".into(), "The machine's name must be 1–40 characters.".into()),
        ChunkSize => pick(
            lang,
            "För många punkter på en gång; appen skickar dem i mindre delar.".into(),
            "Too many points at once; the app sends them in smaller parts.".into(),
        ),
        StopBeforeStart => pick(
            lang,
            format!("Körningen stoppar innan den startar. {SET_CLOCK_SV}"),
            format!("The run stops before it starts. {SET_CLOCK_EN}"),
        ),
        SelfDuplicate => pick(
            lang,
            "En rapport kan inte vara dubblett av sig själv.".into(),
            "A report cannot be a duplicate of itself.".into(),
        ),
        NothingToChange => pick(lang, "Inget att ändra.".into(), "Nothing to change.".into()),
        FieldNotForKind => pick(
            lang,
            "Nivå, personer, ingripanden och tid hör till störningar; mängd till städrapporter.".into(),
            "Level, people, interventions and time belong to disturbances; amount to cleaning reports.".into(),
        ),
        InTheFuture { what } => pick(
            lang,
            format!("{} ligger efter att det sparades. Välj en tidigare tid.", capital(time_field(*what, lang))),
            format!("{} is after it was saved. Choose an earlier time.", capital(time_field(*what, lang))),
        ),
        HandoverTooLarge => pick(lang, "Överlämningen är för stor.".into(), "The handover is too large.".into()),
        ImpossibleTime { what, .. } => pick(
            lang,
            format!("{} är inte en möjlig tid. {SET_CLOCK_SV}", capital(time_field(*what, lang))),
            format!("{} is not a possible time. {SET_CLOCK_EN}", capital(time_field(*what, lang))),
        ),
        TimesApart { what, hours } => pick(
            lang,
            format!("{} ligger {hours} timmar från rapportens. {SET_CLOCK_SV}", capital(time_field(*what, lang))),
            format!("{} is {hours} hours from the report's. {SET_CLOCK_EN}", capital(time_field(*what, lang))),
        ),
        NotTakeable(_) => pick(
            lang,
            "En vanlig städrapport tas inte, den städas. Tryck Städat när det är gjort.".into(),
            "A plain cleaning report is not taken but cleaned. Tap Cleaned when it is done.".into(),
        ),
        DeviceName => pick(
            lang,
            "Telefonens namn ska vara 1–60 tecken. Be platsansvarig registrera telefonen med ett namn.".into(),
            "The phone's name must be 1–60 characters. Ask the site manager to enroll it with a name.".into(),
        ),
        NotUsedHere { term, site } => pick(
            lang,
            format!("{} används inte på {site}. Välj något annat i listan.", capital(&term_text(*term, lang))),
            format!("{} is not used at {site}. Choose another from the list.", capital(&term_text(*term, lang))),
        ),
        IdInUse(_) | Malformed(_) => pick(
            lang,
            "Servern kunde inte ta emot ändringen. Uppdatera appen; rapporten finns kvar i telefonen.".into(),
            "The server could not take the change. Update the app; the report stays on the phone.".into(),
        ),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A refusal from the server: its code in the person's language, or its English words.
pub fn refusal_text(r: &Refusal, lang: Lang) -> String {
    r.cause
        .as_ref()
        .map_or_else(|| r.reason.clone(), |c| invalid_text(c, lang))
}

/// A phone whose token the server refuses (401 `bad_token` or `revoked`): what happened and what to do,
/// with the device id the site manager needs for `enroll --device`. Nothing on the phone is lost.
pub fn token_refused_text(device: uuid::Uuid, lang: Lang) -> String {
    pick(
        lang,
        format!(
            "Telefonen är inte längre godkänd av servern. Be platsansvarig om en ny kod för den här \
             telefonen (enroll --device {device}) och skriv in den. Inget i telefonen går förlorat."
        ),
        format!(
            "The server no longer accepts this phone. Ask the site manager for a new code for this \
             phone (enroll --device {device}) and enter it. Nothing on the phone is lost."
        ),
    )
}

/// A failed sync or enrollment, and what to do.
pub fn failure_text(f: &Failure, lang: Lang) -> String {
    let sv = match f.kind {
        FailureKind::NotEnrolled => {
            "Telefonen är inte registrerad. Ange serverns adress och en kod."
        }
        FailureKind::Offline => {
            "Ingen kontakt med servern. Allt är sparat i telefonen och skickas när nätet är tillbaka."
        }
        FailureKind::Certificate => {
            "Serverns certifikat godtas inte (okänd utfärdare, utgånget eller fel namn). Kontakta \
             support; allt är sparat i telefonen."
        }
        FailureKind::BadToken => {
            "Servern känner inte igen telefonen. Be platsansvarig om en ny kod och registrera igen."
        }
        FailureKind::Revoked => {
            "Telefonen är avstängd av platsansvarig. Be om en ny kod; det som väntar skickas sedan."
        }
        FailureKind::BadCode => {
            "Koden godtogs inte: den är fel, redan använd eller för gammal. Be platsansvarig om en ny."
        }
        FailureKind::TooLarge => {
            "Servern tar inte emot så stora ändringar. Kontakta support; inget är förlorat."
        }
        FailureKind::ServerDown => "Servern har problem just nu. Appen försöker igen av sig själv.",
        FailureKind::Refused => "Servern vägrade ta emot. Kontakta support; inget är förlorat.",
        FailureKind::BadResponse => "Serverns svar gick inte att läsa. Appen försöker igen.",
        FailureKind::Version => "Servern talar en annan version. Uppdatera appen.",
        FailureKind::Stalled => {
            "Servern tar inte emot telefonens ändringar. Kontakta support; inget är förlorat."
        }
        FailureKind::Store => {
            "Telefonens databas gav ett fel. Starta om appen; det som är sparat finns kvar."
        }
        FailureKind::Other => return f.message.clone(),
    };
    if lang == Lang::Sv {
        sv.to_owned()
    } else {
        f.message.clone()
    }
}

/// Why the phone did not save something.
pub fn store_error_text(e: &StoreError, lang: Lang) -> String {
    match e {
        StoreError::Invalid(why) => invalid_text(why, lang),
        StoreError::NotEnrolled => failure_text(
            &Failure {
                kind: FailureKind::NotEnrolled,
                message: e.to_string(),
            },
            lang,
        ),
        StoreError::WouldOrphan { device, pending } => pick(
            lang,
            format!(
                "Servern gav ett annat telefon-id, men {pending} rapporter i telefonen är inte \
                 skickade och hör till det här id:t. Bytet gjordes inte. Be platsansvarig om en kod \
                 för den här telefonen (enroll --device {device})."
            ),
            format!(
                "The server gave another device id, but {pending} reports on this phone are not sent \
                 yet and belong to this id. Nothing was changed. Ask the site manager for a code for \
                 this phone (enroll --device {device})."
            ),
        ),
        StoreError::NoShift => pick(
            lang,
            "Inget pass pågår. Starta ett pass först.".to_owned(),
            "No shift is running. Start a shift first.".to_owned(),
        ),
        StoreError::TooNew { .. } => pick(
            lang,
            "Telefonens data är sparad av en nyare version av appen. Uppdatera appen; inget har \
             ändrats."
                .to_owned(),
            "This phone's data was saved by a newer version of the app. Update the app; nothing was \
             changed."
                .to_owned(),
        ),
        e => pick(
            lang,
            format!("Telefonens databas gav ett fel: {e}"),
            format!("The phone's database failed: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use torgkoll_shared::{CleaningCategory, MachineKind};

    use super::*;

    #[test]
    fn a_term_the_site_does_not_use_is_said_in_swedish_with_the_site() {
        let why = Invalid::NotUsedHere {
            term: Term::Machine(MachineKind::Skurmaskin),
            site: "Medborgarplatsen".into(),
        };
        assert_eq!(
            invalid_text(&why, Lang::Sv),
            "Maskinen Skurmaskin används inte på Medborgarplatsen. Välj något annat i listan."
        );
        let why = Invalid::NotUsedHere {
            term: Term::Cleaning(CleaningCategory::Kanyler),
            site: "Medborgarplatsen".into(),
        };
        assert_eq!(
            invalid_text(&why, Lang::En),
            "The cleaning category Needles is not used at Medborgarplatsen. Choose another from the list."
        );
    }
}
