//! The review screens' own words (in `i18n`, so a component never imports a view), Swedish first with English as the app's language setting. Report
//! vocabulary comes from `torgkoll_shared::vocab`, statuses from the app's [`Msg`](crate::ui::i18n::Msg).

use torgkoll_shared::Lang;

use crate::ui::i18n::messages;

messages! {
    /// A text of the review screens.
    Word {
        SubMap = "Karta", "Map";
        SubHotspots = "Hotspots", "Hotspots";
        SubMachines = "Maskiner", "Machines";
        SubDisturbances = "Störningar", "Disturbances";
        SubFreshness = "Färskhet", "Freshness";
        SpanToday = "Idag", "Today";
        SpanWeek = "7 dagar", "7 days";
        SpanFourWeeks = "4 veckor", "4 weeks";
        Filter = "Filter", "Filter";
        ClearFilters = "Rensa filter", "Clear filters";
        All = "Alla", "All";
        Kind = "Typ", "Kind";
        KindCleaning = "Städ", "Cleaning";
        KindDisturbance = "Störning", "Disturbance";
        Category = "Kategori", "Category";
        Zone = "Zon", "Zone";
        Status = "Status", "Status";
        Level = "Nivå", "Level";
        Unreviewed = "Ogranskade", "Not reviewed";
        Reports = "rapporter", "reports";
        Report = "rapport", "report";
        Cell = "ruta", "cell";
        ShowingFirst = "visar de första", "showing the first";
        Reviewed = "Granskad", "Reviewed";
        NotReviewed = "Ej granskad", "Not reviewed";
        MarkReviewed = "Markera granskad", "Mark reviewed";
        MarkResolved = "Markera åtgärdad", "Mark resolved";
        DuplicateOf = "Dubblett av …", "Duplicate of …";
        Reclassify = "Klassa om …", "Reclassify …";
        ChooseOriginal = "Välj rapporten den är en dubblett av (samma kategori först, sedan närmast):",
            "Choose the report it duplicates (same category first, then nearest):";
        NoNearby = "Inga andra rapporter av samma slag inom 30 m i perioden.",
            "No other reports of the same kind within 30 m in the period.";
        ChooseCategory = "Välj ny kategori:", "Choose the new category:";
        MarkedReviewed = "Granskad", "Reviewed";
        MarkedResolved = "Åtgärdad", "Resolved";
        MarkedDuplicate = "Markerad som dubblett", "Marked as a duplicate";
        Reclassified = "Omklassad", "Reclassified";
        DuplicateOfShort = "Dubblett av", "Duplicate of";
        Reported = "Rapporterad", "Reported";
        ClockCorrected = "Tid rättad", "Time corrected";
        PhoneSaid = "telefonens klocka visade", "the phone's clock said";
        Times = "gånger", "times";
        Time = "gång", "time";
        People = "Personer", "People";
        Interventions = "Ingripanden", "Interventions";
        NoteLabel = "Anteckning", "Note";
        HeatTitle = "Städrapporter per ruta (5 m)", "Cleaning reports per cell (5 m)";
        AllCategories = "Alla kategorier", "All categories";
        InCells = "i", "in";
        Cells = "rutor", "cells";
        MaxInCell = "högst", "at most";
        PerCell = "i en ruta", "in one cell";
        TopCells = "Flest rapporter", "Most reports";
        NoCleaning = "Inga städrapporter i perioden.", "No cleaning reports in the period.";
        Recurring = "Återkommande hotspots", "Recurring hotspots";
        RecurringHint = "Zon och timme där rapporter kommer tillbaka samma veckodag de fyra senaste veckorna.",
            "Zone and hour where reports come back on the same weekday in each of the last four weeks.";
        NoRecurring = "Inga återkommande hotspots (kräver fyra veckors data).",
            "No recurring hotspots (needs four weeks of data).";
        Usually = "vanligtvis", "usually";
        PerWeek = "/vecka", "/week";
        WeeksOf4 = "av 4 veckor", "of 4 weeks";
        TodayWord = "idag", "today";
        CoverageTitle = "Maskintäckning idag", "Machine coverage today";
        NotCleanedIn = "Ej städat på", "Not cleaned in";
        ZonesNotCleaned = "zoner ej städade på", "zones not cleaned in";
        Fimpsug = "Fimpsug", "Butt vacuum";
        Skurmaskin = "Skurmaskin", "Scrubber";
        AnyMachine = "Totalt", "Total";
        LastCleaned = "Senast städat", "Last cleaned";
        HoursAgo = "h sedan", "h ago";
        NeverIn14 = "inte på 14 dygn", "not in 14 days";
        NotCleanedLegend = "ej städat på N h", "not cleaned in N h";
        HeatTableTitle = "Störningar per timme och zon", "Disturbances by hour and zone";
        DisturbancesWord = "störningar", "disturbances";
        Level1 = "nivå 1", "level 1";
        Level2 = "nivå 2", "level 2";
        Level3 = "nivå 3", "level 3";
        InterventionsWord = "ingripanden", "interventions";
        NoDisturbances = "Inga störningar i perioden.", "No disturbances in the period.";
        HeatLegend = "Siffran är antal störningar; röd ram = minst en på nivå 1.",
            "The number is the count of disturbances; red frame = at least one at level 1.";
        FreshTitle = "Senaste data per zon", "Latest data per zone";
        FreshHint = "En zon utan data är inte detsamma som en lugn zon.",
            "A zone with no data is not the same as a quiet one.";
        LatestReport = "Rapport", "Report";
        LatestRun = "Maskin", "Machine";
        Age = "Ålder", "Age";
        NoData = "Ingen data på 14 dygn", "No data in 14 days";
        NoneYet = "–", "–";
        StaleData = "äldre än 4 h", "older than 4 h";
        SubDevices = "Telefoner", "Phones";
        JustNow = "nyss", "just now";
        LastContact = "senast kontakt", "last contact";
        Waiting = "väntar", "waiting";
        SilentFor = "Tyst i", "Silent for";
        InContact = "I kontakt", "In contact";
        Away = "Borta", "Away";
        NeverSynced = "Aldrig synkad", "Never synced";
        Revoked = "Spärrad", "Revoked";
        ClockWord = "klockan", "clock";
        AppVersion = "version", "version";
        CannotReach = "Kan inte nå servern", "Cannot reach the server";
        LastFetched = "senast hämtat", "last fetched";
        NothingFetched = "ingen lista hämtad än", "no list fetched yet";
        Refresh = "Uppdatera", "Refresh";
        Fetching = "Hämtar…", "Fetching…";
        NoPhones = "Inga telefoner anslutna.", "No phones enrolled.";
        ServerSaid = "Servern svarade", "The server said";
        DayReport = "Dagens lägesbild", "Today's report";
        ExportCsv = "Exportera CSV", "Export CSV";
        ExportGeojson = "Exportera GeoJSON", "Export GeoJSON";
        SavedAt = "Sparad", "Saved";
        NotSaved = "Kunde inte spara", "Could not save";
        NotFetched = "Kunde inte hämta", "Could not fetch";
        NotOpened = "sparad men kunde inte öppnas", "saved but could not be opened";
    }
}

/// A duration as a person reads it: "40 min", "3 h", "2 dygn" ("2 d").
pub fn duration(ms: i64, lang: Lang) -> String {
    let min = ms.max(0) / 60_000;
    match min {
        0..60 => format!("{min} min"),
        60..1440 => format!("{} h", min / 60),
        _ if lang == Lang::Sv => format!("{} dygn", min / 1440),
        _ => format!("{} d", min / 1440),
    }
}

/// How long ago: "för 3 h sedan" ("3 h ago"), "nyss" under a minute.
pub fn ago(ms: i64, lang: Lang) -> String {
    if ms < 60_000 {
        return Word::JustNow.t(lang).to_owned();
    }
    match lang {
        Lang::Sv => format!("för {} sedan", duration(ms, lang)),
        Lang::En => format!("{} ago", duration(ms, lang)),
    }
}

/// Hours as a person reads them: "3,5" (Swedish) or "3.5", whole hours from 10 up.
pub fn hours(h: f64, lang: Lang) -> String {
    let s = if h >= 10.0 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    };
    if lang == Lang::Sv {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A count with its noun: "1 rapport", "6 rapporter".
pub fn counted(n: usize, one: Word, many: Word, lang: Lang) -> String {
    format!("{n} {}", if n == 1 { one.t(lang) } else { many.t(lang) })
}

/// A percentage, "42 %".
pub fn percent(share: f64) -> String {
    format!("{:.0} %", (share * 100.0).clamp(0.0, 100.0))
}
