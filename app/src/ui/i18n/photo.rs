//! The words for photos on a report, Swedish first with English as the app's language setting.

use torgkoll_shared::Lang;
use torgkoll_shared::photo::MAX_PHOTOS_PER_REPORT;

use crate::store::{PhotoCounts, Upload};
use crate::ui::i18n::messages;

messages! {
    /// A text about photos.
    Photo {
        Heading = "Foton", "Photos";
        One = "foto", "photo";
        Many = "foton", "photos";
        Add = "Lägg till foto", "Add photo";
        Warning = "Inga ansikten, personer eller registreringsskyltar på bilden.",
            "No faces, people or number plates in the picture.";
        Working = "Gör bilden liten…", "Making the picture small…";
        Saved = "Fotot är sparat", "Photo saved";
        Full = "Rapporten har redan 4 foton.", "The report already has 4 photos.";
        Unreadable = "Bilden gick inte att läsa. Ta den igen.", "The picture could not be read. Take it again.";
        NoCamera = "Ingen kamera: ", "No camera: ";
        Pending = "väntar", "waiting";
        Sent = "skickad", "sent";
        Failed = "misslyckades", "failed";
        NotHere = "inte hämtad", "not fetched";
        Fetching = "Hämtar fotot…", "Fetching the photo…";
        NotOnServer = "Fotot finns inte (än) på servern.", "The photo is not on the server (yet).";
        Close = "Stäng", "Close";
    }
}

/// The button: "Lägg till foto (1/4)".
pub fn add_label(n: usize, lang: Lang) -> String {
    format!("{} ({n}/{MAX_PHOTOS_PER_REPORT})", Photo::Add.t(lang))
}

/// An own photo's state: "väntar", "skickad", "misslyckades".
pub fn upload_label(u: Upload, lang: Lang) -> &'static str {
    match u {
        Upload::Pending => Photo::Pending.t(lang),
        Upload::Sent => Photo::Sent.t(lang),
        Upload::Failed => Photo::Failed.t(lang),
    }
}

/// A list row's photo count, with how many wait or failed: "2 foton · 1 väntar".
pub fn count_label(c: PhotoCounts, lang: Lang) -> String {
    let word = if c.total == 1 {
        Photo::One
    } else {
        Photo::Many
    };
    let mut s = format!("{} {}", c.total, word.t(lang));
    if c.failed > 0 {
        s.push_str(&format!(" · {} {}", c.failed, Photo::Failed.t(lang)));
    }
    if c.pending > 0 {
        s.push_str(&format!(" · {} {}", c.pending, Photo::Pending.t(lang)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_read_as_the_staff_say_them() {
        assert_eq!(add_label(1, Lang::Sv), "Lägg till foto (1/4)");
        assert_eq!(upload_label(Upload::Pending, Lang::Sv), "väntar");
        let c = PhotoCounts {
            total: 2,
            pending: 1,
            failed: 0,
        };
        assert_eq!(count_label(c, Lang::Sv), "2 foton · 1 väntar");
    }
}
