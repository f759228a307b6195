//! Words for team use: signing in, people and roles, history and activity, approvals.
use cutover_plan::history::{
    Field, FieldChange, HistoryKind, LinkAttr, OrderAttr, OriginalAttr, Value,
};
use cutover_plan::move_path::MovePath;
use cutover_plan::record::Channel;
use cutover_plan::roles::Role;
use cutover_plan::wire::RoleSource;

use super::{Lang, common, dates};

messages! {
    nav_activity: "Activity", "アクティビティ";
    nav_people: "People", "ユーザー";
    sign_out: "Sign out", "サインアウト";
    signed_in_as: "Signed in as", "サインイン中:";
    sign_in_title: "Sign in to Cutover", "Cutover にサインイン";
    sign_in_text: "Cutover is for your organization's staff. Sign in with your work account.", "Cutover は組織のスタッフ向けです。職場のアカウントでサインインしてください。";
    sign_in_button: "Sign in with your work account", "職場のアカウントでサインイン";
    sign_in_again: "Sign in again", "もう一度サインイン";
    key_title: "Log in with the access key", "アクセス キーでログイン";
    key_text: "Whoever runs Cutover gives you its access key. Your name is recorded with your changes.", "Cutover の管理者からアクセス キーを受け取ってください。変更にはあなたの名前が記録されます。";
    key_label: "Access key", "アクセス キー";
    key_name: "Your name", "あなたの名前";
    key_submit: "Log in", "ログイン";
    no_role_title: "You have no role in Cutover yet", "Cutover でのロールがまだありません";
    no_role_text: "You are signed in, but nobody has given you a role. Ask an admin of Cutover to give you one on the People page.", "サインインしていますが、ロールが割り当てられていません。Cutover の管理者に「ユーザー」ページでロールを割り当ててもらってください。";
    history_title: "History", "履歴";
    history_help: "Who changed what and when, field by field. Times are in your time zone.", "誰がいつ何を変更したかを項目ごとに表示します。時刻はあなたのタイム ゾーンです。";
    history_empty: "Nothing has been recorded yet.", "まだ記録はありません。";
    history_truncated: "Only the newest changes are shown.", "最新の変更のみ表示しています。";
    col_when: "When", "日時";
    col_who: "Who", "変更者";
    col_customer: "Customer", "顧客";
    col_kind: "Kind", "種類";
    col_what: "What changed", "変更内容";
    col_field: "Field", "項目";
    col_old: "Before", "変更前";
    col_new: "After", "変更後";
    no_field_changes: "Saved without changes", "変更なしで保存";
    activity_title: "Activity", "アクティビティ";
    activity_help: "Everything done in Cutover in a period: plan edits, imports, confirmations, orders, share links, discovery, settings and roles.", "期間内に Cutover で行われたすべての操作: 計画の編集、インポート、確認、注文、共有リンク、検出、設定、ロール。";
    filter_from: "From", "開始日";
    filter_to: "To", "終了日";
    filter_person: "Person", "ユーザー";
    filter_customer: "Customer", "顧客";
    filter_kind: "Kind", "種類";
    filter_all_kinds: "All kinds", "すべての種類";
    filter_apply: "Show", "表示";
    export_csv: "Export as CSV", "CSV でエクスポート";
    activity_truncated: "There were more changes than one page holds; choose a shorter period.", "1 ページに収まらないほど変更がありました。期間を短くしてください。";
    csv_time_utc: "time (UTC)", "日時 (UTC)";
    csv_time_local: "time (local)", "日時 (ローカル)";
    csv_key: "key", "キー";
    people_title: "People", "ユーザー";
    people_help: "Everyone who has signed in. A role given here wins over the one from groups; “From groups” lets the groups decide again.", "サインインしたことのあるすべてのユーザー。ここで割り当てたロールはグループからのロールより優先されます。「グループに従う」を選ぶとグループで決まります。";
    people_empty: "Nobody has signed in yet.", "まだ誰もサインインしていません。";
    col_name: "Name", "名前";
    col_sign_in: "Sign-in name", "サインイン名";
    col_role: "Role", "ロール";
    col_given: "Given here", "ここでの割り当て";
    col_last_seen: "Last sign-in", "最終サインイン";
    from_groups: "From groups", "グループに従う";
    no_role: "No role", "ロールなし";
    source_assigned: "given by an admin", "管理者が割り当て";
    source_configured: "always admin (configuration)", "常に管理者 (構成)";
    source_group: "from groups", "グループから";
    source_default: "default", "既定";
    source_none: "nothing gives one", "割り当てなし";
    you: "you", "あなた";
    approvals_title: "Orders waiting for approval", "承認待ちの注文";
    approvals_help: "Large orders are sent only after a second person approves them. The orderer then sends them again from the customer's Orders.", "大量の注文は、別の担当者が承認した後にのみ送信されます。承認後、発注者が顧客の注文一覧から再送信します。";
    approvals_empty: "No order is waiting for approval.", "承認待ちの注文はありません。";
    approve: "Approve", "承認";
    approved_by: "Approved by", "承認者:";
    asked_by: "Asked by", "依頼者:";
    sent_at: "Sent", "送信済み";
    seats: "seats", "席";
    none_value: "—", "—";
    yes: "yes", "はい";
    no: "no", "いいえ";
    no_expiry: "no expiry", "有効期限なし";
    ended_expired: "expired", "期限切れ";
    ended_cancelled: "cancelled", "キャンセル";
}

/// A role's name.
#[must_use]
pub fn role(l: Lang, r: Role) -> &'static str {
    match (r, l) {
        (Role::Viewer, Lang::En) => "Viewer",
        (Role::Viewer, Lang::Ja) => "閲覧者",
        (Role::Editor, Lang::En) => "Editor",
        (Role::Editor, Lang::Ja) => "編集者",
        (Role::Orderer, Lang::En) => "Orderer",
        (Role::Orderer, Lang::Ja) => "発注者",
        (Role::Admin, Lang::En) => "Admin",
        (Role::Admin, Lang::Ja) => "管理者",
    }
}

/// Where a role comes from.
#[must_use]
pub fn source(l: Lang, s: RoleSource) -> &'static str {
    match s {
        RoleSource::Assigned => source_assigned(l),
        RoleSource::Configured => source_configured(l),
        RoleSource::Group => source_group(l),
        RoleSource::Default => source_default(l),
        RoleSource::None => source_none(l),
    }
}

/// A kind of change.
#[must_use]
pub fn kind(l: Lang, k: HistoryKind) -> &'static str {
    let en = l == Lang::En;
    match k {
        HistoryKind::Created => {
            if en {
                "Created"
            } else {
                "作成"
            }
        }
        HistoryKind::Plan => {
            if en {
                "Plan edit"
            } else {
                "計画の編集"
            }
        }
        HistoryKind::Import => {
            if en {
                "Import"
            } else {
                "インポート"
            }
        }
        HistoryKind::Confirmation => {
            if en {
                "Confirmation"
            } else {
                "確認"
            }
        }
        HistoryKind::Order => {
            if en {
                "Order"
            } else {
                "注文"
            }
        }
        HistoryKind::Discovery => {
            if en {
                "Discovery"
            } else {
                "検出"
            }
        }
        HistoryKind::ShareLink => {
            if en {
                "Share link"
            } else {
                "共有リンク"
            }
        }
        HistoryKind::Settings => {
            if en {
                "Settings"
            } else {
                "設定"
            }
        }
        HistoryKind::People => {
            if en {
                "Roles"
            } else {
                "ロール"
            }
        }
    }
}

/// Why a sign-in failed, from the code in `/sign-in?error=…`.
#[must_use]
pub fn sign_in_error(l: Lang, code: &str) -> &'static str {
    let en = l == Lang::En;
    match code {
        "denied" => {
            if en {
                "The sign-in was cancelled or refused by your identity provider."
            } else {
                "サインインがキャンセルされたか、ID プロバイダーに拒否されました。"
            }
        }
        "state_mismatch" => {
            if en {
                "This sign-in was not started in this browser, so it was refused. Start again here."
            } else {
                "このサインインはこのブラウザーで開始されたものではないため拒否されました。ここからやり直してください。"
            }
        }
        "used_or_expired" => {
            if en {
                "This sign-in was used already or took longer than ten minutes. Start again."
            } else {
                "このサインインは使用済みか、10 分以上経過しました。やり直してください。"
            }
        }
        "unreachable" => {
            if en {
                "Your identity provider could not be reached. Try again in a moment."
            } else {
                "ID プロバイダーに接続できませんでした。しばらくしてからやり直してください。"
            }
        }
        "refused" => {
            if en {
                "Your identity provider refused this sign-in (the code was used already or expired). Start again."
            } else {
                "ID プロバイダーがこのサインインを拒否しました (コードが使用済みか期限切れ)。やり直してください。"
            }
        }
        "wrong_audience" => {
            if en {
                "The sign-in answer was meant for another application, so it was refused."
            } else {
                "サインインの応答は別のアプリケーション宛てだったため拒否されました。"
            }
        }
        "wrong_issuer" => {
            if en {
                "The sign-in answer came from another directory than the one Cutover trusts."
            } else {
                "サインインの応答は Cutover が信頼するディレクトリ以外から届きました。"
            }
        }
        "expired" => {
            if en {
                "The sign-in answer had expired. Check the server's clock and start again."
            } else {
                "サインインの応答の有効期限が切れていました。サーバーの時刻を確認してやり直してください。"
            }
        }
        "wrong_nonce" => {
            if en {
                "The sign-in answer belonged to another sign-in, so it was refused."
            } else {
                "サインインの応答は別のサインインのものだったため拒否されました。"
            }
        }
        "bad_signature" | "unknown_key" => {
            if en {
                "The sign-in answer was not signed by your identity provider, so it was refused."
            } else {
                "サインインの応答が ID プロバイダーによって署名されていなかったため拒否されました。"
            }
        }
        _ => {
            if en {
                "The sign-in did not work. Start again; if it keeps failing, tell whoever runs Cutover."
            } else {
                "サインインできませんでした。やり直してください。繰り返し失敗する場合は Cutover の管理者に連絡してください。"
            }
        }
    }
}

fn original_attr(l: Lang, a: OriginalAttr) -> &'static str {
    let en = l == Lang::En;
    match a {
        OriginalAttr::Added => {
            if en {
                "added"
            } else {
                "追加"
            }
        }
        OriginalAttr::Removed => {
            if en {
                "removed"
            } else {
                "削除"
            }
        }
        OriginalAttr::Offer => {
            if en {
                "offer"
            } else {
                "オファー"
            }
        }
        OriginalAttr::OfferId => {
            if en {
                "offer id"
            } else {
                "オファー ID"
            }
        }
        OriginalAttr::Seats => {
            if en {
                "seats"
            } else {
                "席数"
            }
        }
        OriginalAttr::EndDate => {
            if en {
                "end date"
            } else {
                "終了日"
            }
        }
        OriginalAttr::Channel => {
            if en {
                "channel"
            } else {
                "購入経路"
            }
        }
        OriginalAttr::AutoRenew => {
            if en {
                "auto-renew"
            } else {
                "自動更新"
            }
        }
        OriginalAttr::Price => {
            if en {
                "price per seat per month"
            } else {
                "1 席あたりの月額"
            }
        }
        OriginalAttr::Target => {
            if en {
                "target offer"
            } else {
                "移行先オファー"
            }
        }
        OriginalAttr::Path => {
            if en {
                "move path"
            } else {
                "移行方法"
            }
        }
        OriginalAttr::AutoRenewOff => {
            if en {
                "auto-renew switched off (confirmed)"
            } else {
                "自動更新オフ (確認済み)"
            }
        }
        OriginalAttr::Ended => {
            if en {
                "ended (confirmed)"
            } else {
                "終了 (確認済み)"
            }
        }
        OriginalAttr::EndedHow => {
            if en {
                "how it ended"
            } else {
                "終了の仕方"
            }
        }
        OriginalAttr::LicencesReassigned => {
            if en {
                "licences reassigned (confirmed)"
            } else {
                "ライセンス再割り当て (確認済み)"
            }
        }
        OriginalAttr::TenantSubscription => {
            if en {
                "subscription in the tenant"
            } else {
                "テナントのサブスクリプション"
            }
        }
    }
}

fn order_attr(l: Lang, a: OrderAttr) -> &'static str {
    let en = l == Lang::En;
    match a {
        OrderAttr::Placed => {
            if en {
                "order placed"
            } else {
                "注文"
            }
        }
        OrderAttr::Removed => {
            if en {
                "order removed"
            } else {
                "注文の削除"
            }
        }
        OrderAttr::Lines => {
            if en {
                "what the order buys"
            } else {
                "注文内容"
            }
        }
        OrderAttr::Status => {
            if en {
                "order status"
            } else {
                "注文の状態"
            }
        }
        OrderAttr::OrderId => {
            if en {
                "Partner Center order id"
            } else {
                "Partner Center の注文 ID"
            }
        }
        OrderAttr::Fulfilled => {
            if en {
                "provisioned"
            } else {
                "プロビジョニング完了"
            }
        }
        OrderAttr::Error => {
            if en {
                "why it failed"
            } else {
                "失敗の理由"
            }
        }
        OrderAttr::ApprovalAsked => {
            if en {
                "approval asked"
            } else {
                "承認を依頼"
            }
        }
        OrderAttr::Approved => {
            if en {
                "approved"
            } else {
                "承認"
            }
        }
    }
}

fn override_name(l: Lang, name: &str) -> String {
    let en = l == Lang::En;
    let what = match name {
        "provisionLeadDays" => {
            if en {
                "provisioning lead days"
            } else {
                "プロビジョニングのリード日数"
            }
        }
        "inviteLeadDays" => {
            if en {
                "invitation lead days"
            } else {
                "招待のリード日数"
            }
        }
        "autoRenewNoticeDays" => {
            if en {
                "auto-renew notice days"
            } else {
                "自動更新の通知日数"
            }
        }
        other => return other.to_owned(),
    };
    if en {
        format!("{what} (this customer)")
    } else {
        format!("{what} (この顧客)")
    }
}

/// A field's name, e.g. "Office 365 E3 · end date".
#[must_use]
pub fn field(l: Lang, f: &Field) -> String {
    let en = l == Lang::En;
    match f {
        Field::CustomerName => (if en { "customer name" } else { "顧客名" }).into(),
        Field::Domain => (if en { "domain" } else { "ドメイン" }).into(),
        Field::Key => (if en {
            "record key"
        } else {
            "レコード キー"
        })
        .into(),
        Field::Notes => (if en { "notes" } else { "メモ" }).into(),
        Field::InvitationSentOn => (if en {
            "invitation sent"
        } else {
            "招待の送信日"
        })
        .into(),
        Field::Override { name } => override_name(l, name),
        Field::Original { offer, attr, .. } => format!("{offer} · {}", original_attr(l, *attr)),
        Field::Order { lines, attr, .. } => format!("{lines} · {}", order_attr(l, *attr)),
        Field::TenantRead => (if en {
            "read from the customer's tenant"
        } else {
            "顧客テナントからの読み取り"
        })
        .into(),
        Field::ShareLink { id, attr } => {
            let short: String = id.chars().take(8).collect();
            match (attr, en) {
                (LinkAttr::Created, true) => format!("share link {short}… made"),
                (LinkAttr::Created, false) => format!("共有リンク {short}… を作成"),
                (LinkAttr::Revoked, true) => format!("share link {short}… revoked"),
                (LinkAttr::Revoked, false) => format!("共有リンク {short}… を失効"),
            }
        }
        Field::Setting { path } => {
            if en {
                format!("setting {path}")
            } else {
                format!("設定 {path}")
            }
        }
        Field::Role { person } => {
            if en {
                format!("role of {person}")
            } else {
                format!("{person} のロール")
            }
        }
        Field::Unreadable => (if en {
            "this version could not be read"
        } else {
            "このバージョンは読み取れません"
        })
        .into(),
    }
}

/// A value as the field shows it.
#[must_use]
pub fn value(l: Lang, f: &Field, v: &Value) -> String {
    match v {
        Value::None => match f {
            Field::ShareLink {
                attr: LinkAttr::Created,
                ..
            } => no_expiry(l).into(),
            Field::Role { .. } => from_groups(l).into(),
            _ => none_value(l).into(),
        },
        Value::Text(t) => match f {
            Field::ShareLink {
                attr: LinkAttr::Created,
                ..
            } => dates::instant_text(l, t),
            _ => t.clone(),
        },
        Value::Date(d) => dates::date(l, *d),
        Value::Number(n) => n.to_string(),
        Value::Flag(true) => yes(l).into(),
        Value::Flag(false) => no(l).into(),
        Value::Code(c) => match f {
            Field::Original {
                attr: OriginalAttr::Channel,
                ..
            } => Channel::parse(c).map_or_else(|| c.clone(), |ch| common::channel(l, ch).into()),
            Field::Original {
                attr: OriginalAttr::Path,
                ..
            } => MovePath::parse(c).map_or_else(|| c.clone(), |p| common::path_name(l, p).into()),
            Field::Original {
                attr: OriginalAttr::EndedHow,
                ..
            } => match c.as_str() {
                "expired" => ended_expired(l).into(),
                "cancelled" => ended_cancelled(l).into(),
                other => other.into(),
            },
            Field::Role { .. } => Role::parse(c).map_or_else(|| c.clone(), |r| role(l, r).into()),
            _ => c.clone(),
        },
    }
}

/// A change as three texts: field, before, after.
#[must_use]
pub fn change(l: Lang, c: &FieldChange) -> (String, String, String) {
    (
        field(l, &c.field),
        value(l, &c.field, &c.old),
        value(l, &c.field, &c.new),
    )
}

/// [`change`] for a CSV file: an unset value is an empty cell rather than a dash.
#[must_use]
pub fn change_for_csv(l: Lang, c: &FieldChange) -> (String, String, String) {
    let cell = |v: &Value| match v {
        Value::None => String::new(),
        v => value(l, &c.field, v),
    };
    (field(l, &c.field), cell(&c.old), cell(&c.new))
}
