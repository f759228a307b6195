//! Messages of bulk discovery (originals read from every tenant with active admin access).
use super::Lang;

messages! {
    title: "Discover originals from every tenant", "すべてのテナントから元のサブスクリプションを検出";
    help: "For every customer whose admin access (GDAP) is active, Cutover reads the tenant's subscriptions through Microsoft Graph and keeps the reading in the customer's record. Review and accept what it proposes on each customer's page. Customers already read today are skipped.", "管理者アクセス (GDAP) が有効なすべての顧客について、Microsoft Graph でテナントのサブスクリプションを読み取り、顧客の記録に保存します。提案の確認と承認は各顧客のページで行います。今日すでに読み取った顧客はスキップします。";
    start: "Discover for every customer with admin access", "管理者アクセスのあるすべての顧客で検出";
    resume: "Resume (retry the failed ones)", "再開 (失敗した顧客を再試行)";
    col_customer: "Customer", "顧客";
    col_result: "Result", "結果";
    already: "Already read today", "今日すでに読み取り済み";
}

/// Progress of a run.
#[must_use]
pub fn progress(l: Lang, done: usize, total: usize, failed: usize) -> String {
    match l {
        Lang::En => format!("{done} of {total} customers read; {failed} failed."),
        Lang::Ja => format!("{total} 社中 {done} 社を読み取りました (失敗 {failed} 社)。"),
    }
}

/// What a tenant showed.
#[must_use]
pub fn found(l: Lang, proposed: usize, differ: usize) -> String {
    match l {
        Lang::En => {
            format!("Found {proposed} original subscriptions; {differ} differ from the plan.")
        }
        Lang::Ja => {
            format!("元のサブスクリプション {proposed} 件を検出。計画との差分 {differ} 件。")
        }
    }
}

/// Why a tenant could not be read.
#[must_use]
pub fn failed(l: Lang, why: &str) -> String {
    match l {
        Lang::En => format!("Failed: {why}"),
        Lang::Ja => format!("失敗: {why}"),
    }
}
