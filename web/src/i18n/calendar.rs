//! Messages of the calendar page.
use super::Lang;

messages! {
    view_label: "Timeline by", "表示単位";
    by_week: "Weeks", "週";
    by_month: "Months", "月";
    today: "Today", "今日";
    list_title: "All open actions, by date", "未完了の作業 (日付順)";
    nothing: "No open actions. Import or create migration plans to see dates here.", "未完了の作業はありません。移行計画をインポートまたは作成すると、ここに日付が表示されます。";
}

/// "+N more" under a full column.
#[must_use]
pub fn more(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("+{n} more (see the list below)"),
        Lang::Ja => format!("ほか {n} 件 (下の一覧を参照)"),
    }
}

/// Overdue actions older than the timeline.
#[must_use]
pub fn older_overdue(l: Lang, n: usize) -> String {
    match l {
        Lang::En => {
            format!("{n} overdue actions are older than the timeline; they are in the list below.")
        }
        Lang::Ja => format!(
            "期限超過の作業 {n} 件はタイムラインより前の日付です。下の一覧に表示されています。"
        ),
    }
}

/// The list was cut.
#[must_use]
pub fn list_cut(l: Lang, shown: usize, all: usize) -> String {
    match l {
        Lang::En => format!("The first {shown} of {all} actions are listed."),
        Lang::Ja => format!("{all} 件中、最初の {shown} 件を表示しています。"),
    }
}
