//! Words every screen shares: navigation, warnings, actions, steps, the reasons behind dates.
use cutover_plan::Warning;
use cutover_plan::calendar::Closure;
use cutover_plan::explain::{DateReason, Rule};
use cutover_plan::planner::ActionKind;
use cutover_plan::record::Channel;

use super::Lang;

messages! {
    nav_customers: "Customers", "顧客";
    nav_calendar: "Calendar", "カレンダー";
    nav_import: "Import / export", "インポート / エクスポート";
    nav_settings: "Settings", "設定";
    nav_main: "Main", "メイン";
    skip_to_content: "Skip to content", "本文へ移動";
    menu: "Menu", "メニュー";
    close: "Close", "閉じる";
    retry: "Retry", "再試行";
    reference: "Reference:", "参照 ID:";
    save: "Save", "保存";
    saving: "Saving…", "保存中…";
    saved: "Saved.", "保存しました。";
    cancel: "Cancel", "キャンセル";
    loading: "Loading…", "読み込み中…";
    reload: "Reload", "再読み込み";
    none: "None", "なし";
    not_found_title: "Page not found", "ページが見つかりません";
    not_found_text: "This address is not part of Cutover. ", "このアドレスは Cutover にありません。";
    back_to_list: "Back to the customer list", "顧客一覧に戻る";
    step_relationship: "Reseller relationship", "再販業者関係";
    step_provision: "Provision in CSP", "CSP でのプロビジョニング";
    step_originals: "Original subscriptions", "元のサブスクリプション";
    step_continuity: "Continuity", "中断なく継続";
    status_done: "Done", "完了";
    status_open: "To do", "未完了";
    status_not_needed: "Not needed", "不要";
    channel_direct: "Direct (Microsoft)", "直接購入 (Microsoft)";
    channel_partner: "Another partner (CSP)", "他のパートナー (CSP)";
    channel_open: "Open licensing", "Open ライセンス";
    channel_ea: "Enterprise Agreement", "Enterprise Agreement (EA)";
    overdue: "Overdue", "期限超過";
}

/// The name of a step, 0-based.
#[must_use]
pub fn step_name(l: Lang, step: usize) -> &'static str {
    match step {
        0 => step_relationship(l),
        1 => step_provision(l),
        2 => step_originals(l),
        _ => step_continuity(l),
    }
}

/// A channel's name.
#[must_use]
pub fn channel(l: Lang, c: Channel) -> &'static str {
    match c {
        Channel::Direct => channel_direct(l),
        Channel::Partner => channel_partner(l),
        Channel::Open => channel_open(l),
        Channel::Ea => channel_ea(l),
    }
}

/// A move path onto CSP, as a short name.
#[must_use]
pub fn path_name(l: Lang, p: cutover_plan::move_path::MovePath) -> &'static str {
    use cutover_plan::move_path::MovePath;
    match (p, l) {
        (MovePath::Overlap, Lang::En) => "Buy before the original ends (overlap)",
        (MovePath::Overlap, Lang::Ja) => "有効期限前に購入 (重複期間あり)",
        (MovePath::Grace, Lang::En) => "Buy after it ends, during the grace period",
        (MovePath::Grace, Lang::Ja) => "終了後の猶予期間中に購入",
        (MovePath::EaTransfer, Lang::En) => "EA channel transfer (renew to CSP)",
        (MovePath::EaTransfer, Lang::Ja) => "EA からのチャネル移行 (CSP へ更新)",
        (MovePath::CspTransfer, Lang::En) => "Partner-to-partner transfer",
        (MovePath::CspTransfer, Lang::Ja) => "パートナー間移管",
    }
}

/// What to do, as a short imperative.
#[must_use]
pub fn action(l: Lang, kind: ActionKind) -> &'static str {
    match (kind, l) {
        (ActionKind::Invite, Lang::En) => "Send the reseller invitation",
        (ActionKind::Invite, Lang::Ja) => "再販業者関係の招待を送信",
        (ActionKind::RequestTransfer, Lang::En) => "Request the partner-to-partner transfer",
        (ActionKind::RequestTransfer, Lang::Ja) => "パートナー間移管を依頼",
        (ActionKind::Schedule, Lang::En) => "Schedule the EA channel transfer",
        (ActionKind::Schedule, Lang::Ja) => "EA からのチャネル移行を予約",
        (ActionKind::Provision, Lang::En) => "Provision CSP subscriptions",
        (ActionKind::Provision, Lang::Ja) => "CSP サブスクリプションをプロビジョニング",
        (ActionKind::AutoRenewOff, Lang::En) => "Switch auto-renew off",
        (ActionKind::AutoRenewOff, Lang::Ja) => "自動更新をオフにする",
        (ActionKind::Reassign, Lang::En) => "Reassign licences",
        (ActionKind::Reassign, Lang::Ja) => "ライセンスの割り当てを変更",
    }
}

/// A warning as a short phrase.
#[must_use]
pub fn warning(l: Lang, w: Warning) -> &'static str {
    match (w, l) {
        (Warning::AccessLost, Lang::En) => "Users have lost access to the original",
        (Warning::AccessLost, Lang::Ja) => "元のサブスクリプションにアクセスできなくなっています",
        (Warning::AutoRenewDeadlinePassed, Lang::En) => "Too late to switch auto-renew off safely",
        (Warning::AutoRenewDeadlinePassed, Lang::Ja) => "自動更新をオフにする期限を過ぎています",
        (Warning::DataDeleted, Lang::En) => "The original's data has been deleted",
        (Warning::DataDeleted, Lang::Ja) => "元のサブスクリプションのデータは削除されています",
        (Warning::Expired, Lang::En) => "The original has expired (grace period)",
        (Warning::Expired, Lang::Ja) => "元のサブスクリプションは有効期限切れです (猶予期間)",
        (Warning::GraceDeadlinePassed, Lang::En) => {
            "The grace period ends before the CSP subscription can be bought"
        }
        (Warning::GraceDeadlinePassed, Lang::Ja) => {
            "CSP サブスクリプションを購入できる日より前に猶予期間が終わります"
        }
        (Warning::InviteOverdue, Lang::En) => "The reseller invitation is overdue",
        (Warning::InviteOverdue, Lang::Ja) => "再販業者関係の招待が遅れています",
        (Warning::LeadTimeShort, Lang::En) => {
            "Less lead time than planned: provision as soon as possible"
        }
        (Warning::LeadTimeShort, Lang::Ja) => {
            "準備期間が不足しています。できるだけ早くプロビジョニングしてください"
        }
        (Warning::PathNotAvailable, Lang::En) => {
            "The chosen move path is not possible: planned as overlap"
        }
        (Warning::PathNotAvailable, Lang::Ja) => {
            "選択した移行方法は使えないため、重複期間ありで計画しています"
        }
        (Warning::PriceUnknown, Lang::En) => "Price unknown: no costs shown",
        (Warning::PriceUnknown, Lang::Ja) => "単価が不明のため費用を表示できません",
        (Warning::TenantLimit, Lang::En) => {
            "More than 150 subscriptions duplicated at once: the tenant limit may be passed"
        }
        (Warning::TenantLimit, Lang::Ja) => {
            "150 を超えるサブスクリプションを同時に重複させるため、テナントの上限を超えるおそれがあります"
        }
        (Warning::TransferWindowShort, Lang::En) => {
            "Less than 30 days left for the transfer request"
        }
        (Warning::TransferWindowShort, Lang::Ja) => "移管依頼に 30 日の期間を確保できません",
    }
}

/// Why a suggested date is what it is, as one sentence in the language.
#[must_use]
pub fn reason(l: Lang, r: &DateReason) -> String {
    match l {
        Lang::En => r.to_string(),
        Lang::Ja => reason_ja(r),
    }
}

fn reason_ja(r: &DateReason) -> String {
    let mut text = match r.rule {
        Rule::ProvisionLeadDays { days, end_date } => {
            format!("有効期限 {end_date} の {days} 日前")
        }
        Rule::ProvisionAsSoonAsPossible { end_date, ideal } => format!(
            "準備期間を確保できる日 {ideal} を過ぎたため、今日以降の次の営業日 (有効期限 {end_date})"
        ),
        Rule::ProvisionToday { end_date } => {
            format!("準備期間を過ぎ、有効期限 {end_date} までに営業日がないため今日")
        }
        Rule::ProvisionAfterEnd { end_date } => {
            format!("元のサブスクリプションは {end_date} に終了したため、今日以降の次の営業日")
        }
        Rule::ProvisionInGrace {
            end_date,
            grace_ends,
        } => format!(
            "有効期限 {end_date} の翌日 (今日より前なら今日) 以降の最初の営業日。猶予期間 {grace_ends} まで利用者はアクセスできます"
        ),
        Rule::ProvisionByEaTransfer { end_date } => {
            format!("EA が {end_date} に終了した翌日に Microsoft が CSP サブスクリプションを作成")
        }
        Rule::ScheduleLeadDays { days, end_date } => {
            format!("EA 終了日 {end_date} の {days} 日前")
        }
        Rule::RequestTransferBeforeBuying { days, provision_on } => {
            format!("購入日 {provision_on} の {days} 日前 (応答のない依頼はそれまでに失効します)")
        }
        Rule::InviteLeadDays { days, provision_on } => {
            format!("プロビジョニング日 {provision_on} の {days} 日前")
        }
        Rule::InviteBeforeSchedule { days, schedule_by } => {
            format!("EA 移行の予約期限 {schedule_by} の {days} 日前")
        }
        Rule::InviteBeforeTransferRequest {
            days,
            request_transfer_by,
        } => format!("移管依頼の期限 {request_transfer_by} の {days} 日前"),
        Rule::AutoRenewNotice { days, end_date } => {
            format!("有効期限 {end_date} の {days} 日前")
        }
        Rule::ReassignBeforeEnd { end_date } => {
            format!("有効期限 {end_date} の前の最後の営業日")
        }
        Rule::ReassignOnProvision { provision_on } => format!(
            "プロビジョニング日 {provision_on} より前にはできません (元のサブスクリプションが先に終了します)"
        ),
        Rule::ReassignWhenCspStarts { provision_on } => {
            format!("CSP サブスクリプションが始まる {provision_on}")
        }
    };
    if !r.skipped.is_empty() {
        let mut weekend = false;
        let mut parts = Vec::new();
        for s in &r.skipped {
            match s.closure {
                Closure::Weekend(_) => weekend = true,
                Closure::Holiday(h) => parts.push(format!("{} ({})", h.ja(), s.date)),
                Closure::Custom => parts.push(format!("会社の休業日 ({})", s.date)),
            }
        }
        if weekend {
            parts.push("週末".to_owned());
        }
        let direction = if r.date < r.start { "前" } else { "後" };
        text.push_str(&format!(
            "。{} を避けて {} に{}倒し",
            parts.join("、"),
            r.date,
            direction
        ));
    }
    text
}

/// Said by the live region after moving to another page.
#[must_use]
pub fn now_on_page(l: Lang, page: &str) -> String {
    match l {
        Lang::En => format!("{page} page"),
        Lang::Ja => format!("{page} のページを表示しました"),
    }
}
