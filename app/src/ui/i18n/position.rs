//! The words for the phone's position and the recorded run, Swedish first with English as the app's
//! language setting.

use torgkoll_shared::Lang;

use crate::platform::position::NoGoodFix;
use crate::ui::i18n::messages;

messages! {
    /// A text about the position or the recorded run.
    Pos {
        NoPosition = "ingen position", "no position";
        Uncertain = "osäker position", "uncertain position";
        SavedHere = "Sparad där du står", "Saved where you stand";
        Recording = "Spåret spelas in", "Recording the track";
        WaitingForFix = "Väntar på position…", "Waiting for a position…";
        NoSource = "Ingen positionering: tryck på kartan där maskinen kör. Varje tryck sparas direkt.",
            "No positioning: tap the map where the machine drives. Each tap is saved at once.";
        RecordingHint = "Spåret spelas in av sig självt. Tryck på kartan där GPS inte når (under däcket).",
            "The track records itself. Tap the map where GPS does not reach (under the deck).";
        Driven = "kört", "driven";
        About = "ca", "about";
        IdleTitle = "Ingen rörelse på 10 minuter", "No movement for 10 minutes";
        IdleAsk = "Är körningen slut?", "Is the run over?";
        IdleStop = "Ja, avsluta körningen", "Yes, stop the run";
        IdleGoOn = "Nej, kör vidare", "No, keep going";
        GoodFixSetting = "Rapportera där jag står när positionen är bättre än",
            "Report where I stand when the position is better than";
        Source = "Positionskälla", "Position source";
    }
}

/// Why a report asks for a tap: "ingen position", "osäker position ±40 m".
pub fn no_fix_text(why: NoGoodFix, lang: Lang) -> String {
    match why {
        NoGoodFix::NoPosition => Pos::NoPosition.t(lang).to_owned(),
        NoGoodFix::Uncertain { accuracy_m } => {
            format!("{} ±{:.0} m", Pos::Uncertain.t(lang), accuracy_m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_reads_as_the_field_staff_say_it() {
        assert_eq!(
            no_fix_text(NoGoodFix::NoPosition, Lang::Sv),
            "ingen position"
        );
        assert_eq!(
            no_fix_text(NoGoodFix::Uncertain { accuracy_m: 40.4 }, Lang::Sv),
            "osäker position ±40 m"
        );
    }
}
