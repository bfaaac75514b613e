//! The app's own words, Swedish first with English as a setting. Report vocabulary (categories, machines,
//! interventions, levels) comes from `torgkoll_shared::vocab`; this table holds only the UI's words.

pub mod alerts;
pub mod photo;
pub mod position;
pub mod review;

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
        Cleaning = "Städ", "Cleaning";
        TabMine = "Mina rapporter", "My reports";
        TabShift = "Pass", "Shift";
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
        EnrollCodeHint = "Kod eller länk (torgkoll://…)", "Code or link (torgkoll://…)";
        EnrollBadLink = "Länken går inte att läsa: den ska börja med torgkoll://enroll? och innehålla serverns adress och en kod.",
            "The link cannot be read: it must start with torgkoll://enroll? and hold the server address and a code.";
        ReenrollTitle = "Ny kod för den här telefonen", "A new code for this phone";
        ReenrollButton = "Skriv in ny kod", "Enter a new code";
        ReenrollBack = "Tillbaka", "Back";
        PickCategory = "Välj vad du ser", "Choose what you see";
        More = "Fler…", "More…";
        AlreadyReported = "finns redan rapporterad här", "already reported here";
        PlusOne = "+1 (finns kvar)", "+1 (still there)";
        NewReport = "Ny rapport", "New report";
        MoreCategories = "Fler kategorier", "More categories";
        TapSpotFor = "Tryck på kartan där det finns:", "Tap the map where there is:";
        SpotChosen = "Plats vald – välj kategori", "Spot chosen – choose a category";
        Cancel = "Avbryt", "Cancel";
        Saved = "Sparad", "Saved";
        Undo = "Ångra", "Undo";
        Undone = "Ångrad", "Undone";
        AddDetails = "Ändra", "Change";
        Change = "Ändra rapporten", "Change the report";
        When = "När?", "When?";
        Now = "Nu", "Now";
        OtherTime = "Annan tid", "Other time";
        HappenedAt = "Hände kl.", "Happened at";
        TimeOutsideShift = "Välj en tid inom passet, efter kl.", "Choose a time within the shift, after";
        History = "Historik", "History";
        You = "Du", "You";
        Older = "äldre", "older";
        Changed = "Ändrad", "Changed";
        NoteRemoved = "anteckningen borttagen", "note removed";
        NoneOf = "inga", "none";
        Reviewed = "Granskad", "Reviewed";
        Reclassified = "Omklassad", "Reclassified";
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
        Live = "direkt", "live";
        NeverSynced = "aldrig synkad", "never synced";
        Syncing = "Synkar…", "Syncing…";
        Offline = "Ingen kontakt med servern", "Server unreachable";
        NoServer = "Ingen server inställd", "No server set";
        StartRun = "Starta körning", "Start a run";
        ChooseMachine = "Välj maskin", "Choose the machine";
        StopRun = "Stoppa körning", "Stop the run";
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
        FilterOpen = "Öppna", "Open";
        FilterAll = "Allt", "All";
        Error = "Fel", "Error";
        NotSaved = "Inte sparat", "Not saved";
        Remaining = "tecken kvar", "characters left";
        Run = "Körning", "Run";
        Zone = "Zon", "Zone";
        MyShift = "Mitt pass", "My shift";
        Shift = "Pass", "Shift";
        NoShift = "Inget pass pågår. Passet startar av sig självt vid första rapporten efter sex timmars uppehåll.",
            "No shift is running. A shift starts by itself at the first report after six quiet hours.";
        StartShift = "Starta pass", "Start a shift";
        ShiftStarted = "Passet har startat", "The shift has started";
        ShiftSince = "Pass sedan", "Shift since";
        EndShift = "Avsluta pass och lämna över", "End the shift and hand over";
        ShiftListHeading = "Passlista (underlag för tjänstgöringsrapporten)", "Shift list (for the duty report)";
        ShiftListTitle = "Passlista", "Shift list";
        ShiftListNote = "Underlag för tjänstgöringsrapporten. Inga personuppgifter.",
            "Grounds for the duty report. No personal data.";
        Time = "Tid", "Time";
        PeopleShort = "pers.", "people";
        TotalInterventions = "Summa ingripanden", "Interventions in total";
        Disturbances = "Störningar", "Disturbances";
        OfWhichAcute = "varav akuta (nivå 1):", "of which acute (level 1):";
        NoDisturbances = "Inga störningar under passet.", "No disturbances during the shift.";
        Copy = "Kopiera", "Copy";
        Copied = "Kopierat – klistra in i rapporten", "Copied – paste it into the report";
        NotCopied = "Kunde inte kopiera. Använd Skriv ut.", "Could not copy. Use Print.";
        Print = "Skriv ut", "Print";
        Back = "Tillbaka", "Back";
        Handover = "Överlämning", "Handover";
        Handovers = "Överlämningar", "Handovers";
        NoHandovers = "Inga överlämningar ännu.", "No handovers yet.";
        HandOverTitle = "Lämna över till nästa pass", "Hand over to the next shift";
        HandOverIntro = "Det här ser nästa pass överst tills de markerat det som läst.",
            "The next shift sees this on top until they mark it read.";
        HandOver = "Lämna över", "Hand over";
        HandedOver = "Överlämnat – passet är avslutat", "Handed over – the shift has ended";
        MarkRead = "Läst", "Read";
        Read = "Läst", "Read";
        MoreUnread = "olästa överlämningar till", "more unread handovers";
        OpenItems = "öppna", "open";
        OldestAge = "äldsta", "oldest";
        OpenTasks = "Städuppdrag som inte är gjorda", "Cleaning tasks not done";
        NoMachineFor = "Ingen maskin på", "No machine for";
        NothingOpen = "Inget öppet.", "Nothing open.";
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

/// Local `HH:MM`, with the day (`28/11 HH:MM`) when it is not the day of `now_ms`.
pub fn day_hhmm(ms: i64, now_ms: i64) -> String {
    use torgkoll_shared::calendar::local_date;
    let d = local_date(ms);
    if d == local_date(now_ms) {
        hhmm(ms)
    } else {
        format!("{}/{} {}", d.day, d.month, hhmm(ms))
    }
}

/// Formats an instant as local `HH:MM` (Europe/Stockholm).
pub fn hhmm(ms: i64) -> String {
    torgkoll_shared::calendar::local_hhmm(ms)
}
