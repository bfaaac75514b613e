//! The app's own words, Swedish first with English as a setting. Report vocabulary (categories, machines,
//! interventions, levels) comes from `torgkoll_shared::vocab`; this table holds only the UI's words.

pub use torgkoll_shared::Lang;

/// Defines a message table: an enum with one variant per text, and its Swedish and English wording.
macro_rules! messages {
    ($(#[$meta:meta])* $name:ident { $($key:ident = $sv:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($key,)+ }

        impl $name {
            /// The text in the given language.
            pub fn t(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$key, Lang::Sv) => $sv, ($name::$key, Lang::En) => $en,)+
                }
            }
        }
    };
}
pub(crate) use messages;

messages! {
    /// A text of the user interface.
    Msg {
        AppName = "Torgkoll", "Torgkoll";
        TabReport = "Rapportera", "Report";
        TabMap = "Karta", "Map";
        TabRuns = "Maskin", "Machine";
        TabDisturbance = "Störning", "Disturbance";
        TabMine = "Mina rapporter", "My reports";
        TabAll = "Alla rapporter", "All reports";
        TabReview = "Granska", "Review";
        TabSettings = "Inställningar", "Settings";
        EnrollTitle = "Välkommen till Torgkoll", "Welcome to Torgkoll";
        EnrollIntro = "Ange serverns adress och den engångskod du fått av platsansvarig. Koden ger telefonen dess roll. Därefter fungerar appen utan nät.",
            "Enter the server address and the one-time code from the site manager. The code gives this phone its role. After that the app works offline.";
        ServerAddress = "Serverns adress", "Server address";
        EnrollCode = "Registreringskod", "Enrollment code";
        EnrollButton = "Registrera telefonen", "Enroll this phone";
        Enrolling = "Registrerar…", "Enrolling…";
        EnrollMissing = "Fyll i både adress och kod.", "Enter both the address and the code.";
        PickCategory = "Välj vad du ser", "Choose what you see";
        TapSpotFor = "Tryck på kartan där det finns:", "Tap the map where there is:";
        SpotChosen = "Plats vald – välj kategori", "Spot chosen – choose a category";
        Cancel = "Avbryt", "Cancel";
        Saved = "Sparad", "Saved";
        Undo = "Ångra", "Undo";
        Undone = "Ångrad", "Undone";
        AddDetails = "Lägg till mängd/anteckning", "Add amount/note";
        Amount = "Mängd", "Amount";
        Note = "Anteckning", "Note";
        NoteWarning = "Skriv aldrig namn, personnummer, utseende eller registreringsnummer.",
            "Never write names, personal numbers, descriptions of people or number plates.";
        Save = "Spara", "Save";
        Close = "Stäng", "Close";
        Cleaned = "Städat", "Cleaned";
        StillThere = "Finns kvar", "Still there";
        RequestCleaning = "Begär städning här", "Request cleaning here";
        CleaningRequested = "Städning begärd", "Cleaning requested";
        Reported = "Rapporterad", "Reported";
        Times = "gånger", "times";
        Once = "gång", "time";
        StatusOpen = "Öppen", "Open";
        StatusResolved = "Åtgärdad", "Resolved";
        StatusDuplicate = "Dubblett", "Duplicate";
        StatusWithdrawn = "Ångrad", "Withdrawn";
        SyncPending = "Väntar", "Pending";
        SyncSent = "Skickad", "Sent";
        SyncRejected = "Avvisad", "Rejected";
        SyncNow = "Synka nu", "Sync now";
        Waiting = "väntar", "pending";
        LastSync = "Senast synkad", "Last synced";
        NeverSynced = "aldrig synkad", "never synced";
        Syncing = "Synkar…", "Syncing…";
        Offline = "Ingen kontakt med servern", "Server unreachable";
        NoServer = "Ingen server inställd", "No server set";
        StartRun = "Starta körning", "Start a run";
        ChooseMachine = "Välj maskin", "Choose the machine";
        StopRun = "Stoppa körning", "Stop the run";
        RunTapHint = "Tryck på kartan där maskinen kör. Varje tryck sparas direkt.",
            "Tap the map where the machine drives. Every tap is saved at once.";
        RunPoints = "punkter", "points";
        Covered = "täckt", "covered";
        RunsToday = "Dagens körningar", "Today's runs";
        Minutes = "min", "min";
        NewDisturbance = "Ny störning", "New disturbance";
        Where = "Var? Tryck på kartan", "Where? Tap the map";
        Category = "Kategori", "Category";
        Level = "Nivå", "Level";
        People = "Antal personer", "Number of people";
        Interventions = "Ingripanden", "Interventions";
        SaveDisturbance = "Spara störning", "Save disturbance";
        NeedSpotAndCategory = "Välj plats och kategori först.", "Choose a spot and a category first.";
        NoReports = "Inga rapporter ännu.", "No reports yet.";
        Language = "Språk", "Language";
        Theme = "Tema", "Theme";
        ThemeAuto = "Automatiskt", "Automatic";
        ThemeDay = "Dag", "Day";
        ThemeNight = "Natt", "Night";
        ThemeAutoHint = "Automatiskt blir skärmen mörk från solnedgång till soluppgång.",
            "Automatic turns the screen dark from sunset to sunrise.";
        SunToday = "I dag", "Today";
        Sunrise = "soluppgång", "sunrise";
        Sunset = "solnedgång", "sunset";
        MidnightSun = "solen går inte ned", "the sun does not set";
        PolarNight = "solen går inte upp", "the sun does not rise";
        Device = "Enhet", "Device";
        Role = "Roll", "Role";
        Server = "Server", "Server";
        ZoomIn = "Zooma in", "Zoom in";
        ZoomOut = "Zooma ut", "Zoom out";
        ResetView = "Hela platsen", "Whole site";
        Today = "Idag", "Today";
        Error = "Fel", "Error";
        NotSaved = "Inte sparat", "Not saved";
        Remaining = "tecken kvar", "characters left";
        Run = "Körning", "Run";
        Zone = "Zon", "Zone";
        ShiftList = "Dagens ingripanden (underlag för tjänstgöringsrapporten)", "Today's interventions (for the duty report)";
        Name = "Namn", "Name";
        Computing = "Räknar…", "Computing…";
        ClockFast = "Telefonens klocka går före med", "This phone's clock is fast by";
        ClockSlow = "Telefonens klocka går efter med", "This phone's clock is slow by";
        ClockFix = "Ställ in rätt tid i telefonens inställningar. Rapporterna tidsrättas av servern.",
            "Set the right time in the phone's settings. The server corrects the reports' times.";
    }
}

/// How far off a clock is, as a person reads it: "3 min", "2 h 5 min", "1 dygn 2 h".
pub fn clock_off(ms: i64, lang: Lang) -> String {
    // To the nearest minute: a measured offset is off by half a round trip or so.
    let min = (ms.unsigned_abs() + 30_000) / 60_000;
    let (h, d) = (min / 60, min / 1440);
    let day = if lang == Lang::Sv { "dygn" } else { "d" };
    match (d, h) {
        (0, 0) => format!("{min} min"),
        (0, _) => format!("{h} h {} min", min % 60),
        _ => format!("{d} {day} {} h", h % 24),
    }
}

/// Formats an instant as local `HH:MM` (Europe/Stockholm).
pub fn hhmm(ms: i64) -> String {
    torgkoll_shared::calendar::local_hhmm(ms)
}
