//! Messages of the customer list. Counts are grouped by thousands (`10,000`).
use super::{Lang, count};

fn n(v: usize) -> String {
    count(u64::try_from(v).unwrap_or(u64::MAX))
}

messages! {
    summary_title: "Portfolio summary", "ポートフォリオの概要";
    costs_title: "Paid twice, by month (next 12 months)", "二重の支払い (月別、今後 12 か月)";
    costs_help: "What paying for both the original and the CSP subscription costs, in the month each customer's CSP subscription is provisioned, per currency. Originals without a price are not counted.", "元のサブスクリプションと CSP サブスクリプションの両方に支払う金額を、CSP サブスクリプションをプロビジョニングする月ごと・通貨ごとに示します。単価が未入力のものは含まれません。";
    costs_none: "No prices entered yet: add prices to the plans to see costs.", "単価が入力されていません。計画に単価を入力するとコストが表示されます。";
    col_month: "Month", "月";
    list_label: "Customers", "顧客";
    col_name: "Name", "顧客名";
    col_domain: "Domain", "ドメイン";
    col_relationship: "Relationship", "関係";
    col_progress: "Steps", "進捗";
    col_next: "Next action", "次の作業";
    col_cutover: "Cutover", "移行日";
    col_warnings: "Warnings", "警告";
    details: "Details", "詳細";
    no_warnings: "No warnings.", "警告はありません。";
    open_customer: "Open the customer", "顧客を開く";
    standing_reseller: "Reseller", "再販業者";
    standing_other: "No reseller relationship", "再販業者関係なし";
    standing_prospect: "Prospect", "見込み顧客";
    no_plan: "No plan", "計画なし";
    none_match: "No customers match.", "該当する顧客はありません。";
    search: "Search", "検索";
    search_placeholder: "Name or domain", "顧客名またはドメイン";
    all: "All", "すべて";
    any_warning: "Any warning", "警告あり";
    all_done: "All steps done", "すべて完了";
    filter_warning: "Warning", "警告";
    filter_step: "Current step", "現在のステップ";
    filter_channel: "Channel", "購入経路";
    cutover_from: "Cutover from", "移行日 (開始)";
    cutover_to: "Cutover to", "移行日 (終了)";
    sort_by: "Sort by", "並べ替え";
    sort_default: "What is due first", "期限の近い順";
    descending: "Descending", "降順";
    progress_label: "Customers loaded", "読み込んだ顧客";
    loading_plans: "Loading the migration plans…", "移行計画を読み込み中…";
}

/// How far loading has got.
#[must_use]
pub fn status_line(l: Lang, loaded: usize, total: Option<u64>, done: bool, failed: bool) -> String {
    let (loaded, total) = (n(loaded), total.map(count));
    match (l, done, total, failed) {
        (Lang::En, true, _, _) => format!("{loaded} customers"),
        (Lang::En, false, Some(t), true) => {
            format!("{loaded} of {t} customers loaded; loading stopped")
        }
        (Lang::En, false, None, true) => format!("{loaded} customers loaded; loading stopped"),
        (Lang::En, false, Some(t), false) => format!("Loading customers… {loaded} of {t}"),
        (Lang::En, false, None, false) => format!("Loading customers… {loaded}"),
        (Lang::Ja, true, _, _) => format!("顧客 {loaded} 件"),
        (Lang::Ja, false, Some(t), true) => {
            format!("{t} 件中 {loaded} 件を読み込みました (読み込みは中断されました)")
        }
        (Lang::Ja, false, None, true) => {
            format!("{loaded} 件を読み込みました (読み込みは中断されました)")
        }
        (Lang::Ja, false, Some(t), false) => format!("顧客を読み込み中… {t} 件中 {loaded} 件"),
        (Lang::Ja, false, None, false) => format!("顧客を読み込み中… {loaded} 件"),
    }
}

/// The partial-load line while Partner Center is throttling.
#[must_use]
pub fn throttled(l: Lang, loaded: usize, total: Option<u64>, secs: u64) -> String {
    let (loaded, total) = (n(loaded), total.map(count));
    match (l, total) {
        (Lang::En, Some(t)) => {
            format!("{loaded} of {t} loaded; Partner Center is throttling, retrying in {secs} s")
        }
        (Lang::En, None) => {
            format!("{loaded} loaded; Partner Center is throttling, retrying in {secs} s")
        }
        (Lang::Ja, Some(t)) => format!(
            "{t} 件中 {loaded} 件を読み込みました。Partner Center が要求を制限しているため、{secs} 秒後に再試行します"
        ),
        (Lang::Ja, None) => format!(
            "{loaded} 件を読み込みました。Partner Center が要求を制限しているため、{secs} 秒後に再試行します"
        ),
    }
}

/// Rows shown after filtering.
#[must_use]
pub fn shown(l: Lang, shown: usize, all: usize) -> String {
    let (shown, all) = (n(shown), n(all));
    match l {
        Lang::En => format!("{shown} of {all} shown"),
        Lang::Ja => format!("{all} 件中 {shown} 件を表示"),
    }
}

/// Customers Partner Center sent that could not be read.
#[must_use]
pub fn unreadable(l: Lang, unread: usize) -> String {
    let n = n(unread);
    match l {
        Lang::En => {
            format!("{n} customer records from Partner Center could not be read and are not shown.")
        }
        Lang::Ja => {
            format!("Partner Center の顧客 {n} 件を読み取れなかったため、表示していません。")
        }
    }
}

/// The tenant differs from the plan.
#[must_use]
pub fn tenant_differs(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!("The tenant differs from the plan in {n} place(s)"),
        Lang::Ja => format!("テナントの内容が計画と {n} か所異なります"),
    }
}

/// Names the details button of a row (read after its visible text).
#[must_use]
pub fn details_for(l: Lang, name: &str) -> String {
    match l {
        Lang::En => format!("steps and warnings of {name}"),
        Lang::Ja => format!("{name} の進捗と警告"),
    }
}
