//! The words for alerts that reach a person (a level-1 disturbance, a cleaning task) and for taking
//! them, Swedish first with English as the app's language setting.

use torgkoll_shared::{Lang, Role};

use crate::ui::i18n::{day_hhmm, messages};

messages! {
    /// A text about alerts, tasks and who took them.
    Alert {
        Acute = "AKUT", "URGENT";
        NewTask = "NYTT UPPDRAG", "NEW TASK";
        TakeIt = "Jag tar det", "I'll take it";
        TakeTask = "Jag tar den", "I'll take it";
        Seen = "Sett", "Seen";
        Done = "Klar", "Done";
        TakenBy = "Tagen av", "Taken by";
        Waiting = "väntar", "waiting";
        DoneLower = "klar", "done";
        TakenLower = "tagen av", "taken by";
        Taken = "Tagen", "Taken";
        Tasks = "Uppdrag", "Tasks";
        NoTasks = "Inga öppna uppdrag.", "No open tasks.";
        AskedBy = "Beställt av", "Asked by";
        Urgency = "Hur brådskande", "How urgent";
        FromLevel = "från störning nivå", "from a disturbance of level";
        People = "pers.", "people";
        TaskState = "Uppdrag", "Task";
        YouTookIt = "Du tog det", "You took it";
        TookIt = "Tagen – de andra ser att du har den", "Taken – the others see you have it";
        MarkedDone = "Klar – uppdraget är gjort", "Done – the task is finished";
        MoreAlerts = "fler larm", "more alerts";
        Waited = "väntat", "waiting for";
        Requested = "Begärt", "Requested";
    }
}

/// "Tagen av Vakt 2 23:15".
pub fn taken_label(by: &str, at_ms: i64, now_ms: i64, lang: Lang) -> String {
    format!(
        "{} {by} {}",
        Alert::TakenBy.t(lang),
        day_hhmm(at_ms, now_ms)
    )
}

/// Who asked for a task: "Ordningsvakt · Vakt 1", or the role alone when the request did not say.
pub fn asked_by(role: Role, by: Option<&str>, lang: Lang) -> String {
    match by {
        Some(b) => format!("{} · {b}", role.label(lang)),
        None => role.label(lang).to_owned(),
    }
}

/// Where a task or an alert stands, as a list row and the requester's sheet say it: a task "väntar",
/// "tagen av Plock 1 23:15" or "klar 23:40"; anything else taken "tagen av Vakt 2 23:15"; `None` for
/// the rest.
pub fn take_line(r: &torgkoll_shared::Report, now_ms: i64, lang: Lang) -> Option<String> {
    use torgkoll_shared::Status;
    let taken = r.taken.as_ref().map(|t| {
        format!(
            "{} {} {}",
            Alert::TakenLower.t(lang),
            t.by,
            day_hhmm(t.at(), now_ms)
        )
    });
    if !r.is_task() {
        return taken;
    }
    Some(match (r.status(), r.closed_ms()) {
        (Status::Resolved, Some(at)) => {
            format!("{} {}", Alert::DoneLower.t(lang), day_hhmm(at, now_ms))
        }
        (Status::Open, _) => taken.unwrap_or_else(|| Alert::Waiting.t(lang).to_owned()),
        _ => return taken,
    })
}
