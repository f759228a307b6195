//! The plan editor: the original subscriptions and this customer's setting overrides. Every valid
//! change goes into the draft at once (the checklist re-plans); invalid input is explained next to
//! its field and blocks saving.
use cutover_plan::Date;
use cutover_plan::money::UnitPrice;
use cutover_plan::record::{Channel, OriginalSubscription, Price, TargetOffer};
use cutover_plan::settings::SettingsOverrides;
use leptos::prelude::*;

use super::{Page, new_original_id};
use crate::i18n::customer as t;
use crate::i18n::{Lang, common, use_lang};
use cutover_plan::offers::OFFERS;

fn set_error(page: Page, key: String, error: Option<String>) {
    page.field_errors.update(|e| match error {
        Some(m) => {
            e.insert(key, m);
        }
        None => {
            e.remove(&key);
        }
    });
}

fn update_original(page: Page, id: &str, f: impl FnOnce(&mut OriginalSubscription)) {
    page.draft.update(|d| {
        if let Some(o) = d
            .as_mut()
            .and_then(|r| r.originals.iter_mut().find(|o| o.id == id))
        {
            f(o);
        }
    });
}

/// Parses `raw` with `parse`; on success applies it, otherwise records the message.
fn edit<T>(
    page: Page,
    id: &str,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
    apply: impl FnOnce(&mut OriginalSubscription, T),
    raw: &str,
) {
    let key = format!("{id}.{field}");
    match parse(raw) {
        Ok(v) => {
            set_error(page, key, None);
            update_original(page, id, |o| apply(o, v));
        }
        Err(m) => set_error(page, key, Some(m)),
    }
}

fn field_error(page: Page, key: String) -> impl IntoView {
    let id = format!("err-{}", key.replace('.', "-"));
    let k2 = key.clone();
    view! {
        <span class="field-error" id=id role="status" aria-live="polite">
            {move || page.field_errors.with(|e| e.get(&k2).cloned())}
        </span>
    }
}

fn parse_seats(l: Lang, s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or_else(|| t::err_seats(l).to_owned())
}

fn parse_date(l: Lang, s: &str) -> Result<Date, String> {
    Date::parse_lenient(s.trim()).map_err(|_| t::err_date(l).to_owned())
}

fn parse_price(l: Lang, price: &str, currency: &str) -> Result<Option<Price>, (bool, String)> {
    if price.trim().is_empty() {
        return Ok(None);
    }
    let p = UnitPrice::parse(price.trim()).map_err(|_| (true, t::err_price(l).to_owned()))?;
    let c = currency.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        return Err((false, t::err_currency(l).to_owned()));
    }
    Ok(Some(Price {
        per_seat_per_month: p,
        currency: c,
    }))
}

fn parse_days(l: Lang, s: &str) -> Result<Option<u32>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<u32>()
        .ok()
        .filter(|n| *n <= 365)
        .map(Some)
        .ok_or_else(|| t::err_days(l).to_owned())
}

/// One original subscription's inputs.
fn original_editor(page: Page, l: Lang, o: OriginalSubscription, n: usize) -> impl IntoView {
    let id = o.id.clone();
    let price_raw = RwSignal::new(
        o.price
            .as_ref()
            .map(|p| p.per_seat_per_month.to_string())
            .unwrap_or_default(),
    );
    let cur_raw = RwSignal::new(
        o.price
            .as_ref()
            .map(|p| p.currency.clone())
            .unwrap_or_else(|| "USD".into()),
    );
    let on_price = {
        let id = id.clone();
        move || {
            let result = parse_price(l, &price_raw.get_untracked(), &cur_raw.get_untracked());
            let (pk, ck) = (format!("{id}.price"), format!("{id}.currency"));
            match result {
                Ok(p) => {
                    set_error(page, pk, None);
                    set_error(page, ck, None);
                    update_original(page, &id, |o| o.price = p);
                }
                Err((true, m)) => set_error(page, pk, Some(m)),
                Err((false, m)) => {
                    set_error(page, pk, None);
                    set_error(page, ck, Some(m));
                }
            }
        }
    };
    let on_price2 = on_price.clone();
    let fid = |f: &str| format!("f-{id}-{f}");
    let (i_offer, i_seats, i_end, i_channel, i_auto, i_price, i_cur, i_target) = (
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
    );
    let remove_id = id.clone();
    let target = o
        .target
        .as_ref()
        .map(|t| t.offer_name.clone())
        .unwrap_or_default();
    let channel_code = o.channel.code();
    view! {
        <fieldset class="original-editor" data-testid="original-editor">
            <legend>{t::original_n(l, n)}</legend>
            <div class="grid">
                <label class="field" for=fid("offer")>
                    <span>{t::col_offer(l)}</span>
                    <input id=fid("offer") list="offer-names" data-testid="edit-offer" prop:value=o.offer_name.clone()
                        on:input=move |ev| edit(page, &i_offer, "offer",
                            |s| if s.trim().is_empty() { Err(t::err_offer(l).to_owned()) } else { Ok(s.trim().to_owned()) },
                            |o, v| o.offer_name = v, &event_target_value(&ev)) />
                    {field_error(page, format!("{id}.offer"))}
                </label>
                <label class="field" for=fid("seats")>
                    <span>{t::col_seats(l)}</span>
                    <input id=fid("seats") type="number" min="1" inputmode="numeric" data-testid="edit-seats" prop:value=o.seats.to_string()
                        on:input=move |ev| edit(page, &i_seats, "seats", |s| parse_seats(l, s), |o, v| o.seats = v, &event_target_value(&ev)) />
                    {field_error(page, format!("{id}.seats"))}
                </label>
                <label class="field" for=fid("end")>
                    <span>{t::col_end(l)}</span>
                    <input id=fid("end") type="date" data-testid="edit-end" prop:value=o.end_date.to_string()
                        on:input=move |ev| edit(page, &i_end, "end", |s| parse_date(l, s), |o, v| o.end_date = v, &event_target_value(&ev)) />
                    {field_error(page, format!("{id}.end"))}
                </label>
                <label class="field" for=fid("channel")>
                    <span>{t::col_channel(l)}</span>
                    <select id=fid("channel") data-testid="edit-channel"
                        on:change=move |ev| edit(page, &i_channel, "channel",
                            |s| Channel::parse(s).ok_or_else(String::new), |o, v| o.channel = v, &event_target_value(&ev))>
                        {[Channel::Direct, Channel::Partner, Channel::Open, Channel::Ea].into_iter().map(|c| view! {
                            <option value=c.code() selected=c.code() == channel_code>{common::channel(l, c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field check">
                    <input type="checkbox" data-testid="edit-auto-renew" prop:checked=o.auto_renew
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            update_original(page, &i_auto, |o| o.auto_renew = on);
                        } />
                    <span>{t::col_auto_renew(l)}</span>
                </label>
                <label class="field" for=fid("price")>
                    <span>{t::col_price(l)}</span>
                    <input id=fid("price") inputmode="decimal" data-testid="edit-price" prop:value=price_raw.get_untracked()
                        on:input=move |ev| { price_raw.set(event_target_value(&ev)); on_price(); } />
                    {field_error(page, format!("{i_price}.price"))}
                </label>
                <label class="field short" for=fid("currency")>
                    <span>{t::col_currency(l)}</span>
                    <input id=fid("currency") maxlength="3" data-testid="edit-currency" prop:value=cur_raw.get_untracked()
                        on:input=move |ev| { cur_raw.set(event_target_value(&ev)); on_price2(); } />
                    {field_error(page, format!("{i_cur}.currency"))}
                </label>
                <label class="field" for=fid("target")>
                    <span>{t::col_target(l)}</span>
                    <input id=fid("target") list="offer-names" data-testid="edit-target" placeholder=t::same_offer(l) prop:value=target
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            update_original(page, &i_target, |o| {
                                o.target = (!v.trim().is_empty()).then(|| TargetOffer {
                                    offer_id: cutover_plan::offers::offer_id_for(&v).map(str::to_owned),
                                    offer_name: v.trim().to_owned(),
                                });
                            });
                        } />
                </label>
            </div>
            <button type="button" class="button secondary small" on:click=move |_| {
                let rid = remove_id.clone();
                page.draft.update(|d| if let Some(r) = d { r.originals.retain(|o| o.id != rid); });
                page.field_errors.update(|e| e.retain(|k, _| !k.starts_with(&format!("{rid}."))));
                page.editor_gen.update(|g| *g += 1);
            }>{t::remove_original(l)}</button>
        </fieldset>
    }
}

fn override_input(
    page: Page,
    l: Lang,
    key: &'static str,
    label: &'static str,
    current: Option<u32>,
    partner: u32,
    apply: fn(&mut SettingsOverrides, Option<u32>),
) -> impl IntoView {
    let fid = format!("ov-{key}");
    view! {
        <label class="field" for=fid.clone()>
            <span>{label}</span>
            <input id=fid.clone() type="number" min="0" max="365" data-testid=format!("override-{key}")
                placeholder=t::partner_default(l, partner)
                prop:value=current.map(|v| v.to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let ek = format!("settings.{key}");
                    match parse_days(l, &event_target_value(&ev)) {
                        Ok(v) => {
                            set_error(page, ek, None);
                            page.draft.update(|d| if let Some(r) = d { apply(&mut r.settings, v); });
                        }
                        Err(m) => set_error(page, ek, Some(m)),
                    }
                } />
            {field_error(page, format!("settings.{key}"))}
        </label>
    }
}

/// The plan editor section.
#[component]
pub fn PlanEditor(page: Page) -> impl IntoView {
    let lang = use_lang();
    let add = move |_| {
        let id = new_original_id();
        let today = page.today;
        page.draft.update(|d| {
            if let Some(r) = d {
                r.originals
                    .push(OriginalSubscription::blank(id.clone(), today));
            }
        });
        set_error(
            page,
            format!("{id}.offer"),
            Some(t::err_offer(lang.get_untracked()).to_owned()),
        );
        page.editor_gen.update(|g| *g += 1);
    };
    let can_save =
        move || !page.saving.get() && page.dirty() && page.field_errors.with(|e| e.is_empty());
    view! {
        <section class="card editor" aria-labelledby="editor-title" data-testid="plan-editor">
            <h2 id="editor-title">{move || t::editor_title(lang.get())}</h2>
            <datalist id="offer-names">
                {OFFERS.iter().map(|(n, _)| view! { <option value=*n></option> }).collect_view()}
            </datalist>
            {move || {
                page.editor_gen.track();
                let l = lang.get();
                let record = page.draft.get_untracked();
                let settings = page.planner.get_untracked().0.settings().clone();
                record.map(|r| {
                    let ov = r.settings.clone();
                    view! {
                        <label class="field" for="f-customer-name">
                            <span>{t::field_name(l)}</span>
                            <input id="f-customer-name" data-testid="edit-name" prop:value=r.customer_name.clone()
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    if v.trim().is_empty() {
                                        set_error(page, "name".into(), Some(t::err_name(l).to_owned()));
                                    } else {
                                        set_error(page, "name".into(), None);
                                        page.draft.update(|d| if let Some(r) = d { r.customer_name = v.trim().to_owned(); });
                                    }
                                } />
                            {field_error(page, "name".into())}
                        </label>
                        <div class="originals-editor">
                            {r.originals.into_iter().enumerate().map(|(i, o)| original_editor(page, l, o, i + 1)).collect_view()}
                        </div>
                        <fieldset class="overrides">
                            <legend>{t::overrides_title(l)}</legend>
                            <div class="grid">
                                {override_input(page, l, "provision", t::ov_provision(l), ov.provision_lead_days, settings.provision_lead_days, |s, v| s.provision_lead_days = v)}
                                {override_input(page, l, "invite", t::ov_invite(l), ov.invite_lead_days, settings.invite_lead_days, |s, v| s.invite_lead_days = v)}
                                {override_input(page, l, "auto-renew", t::ov_auto_renew(l), ov.auto_renew_notice_days, settings.auto_renew_notice_days, |s, v| s.auto_renew_notice_days = v)}
                            </div>
                        </fieldset>
                    }
                })
            }}
            <div class="actions">
                <button type="button" class="button secondary" data-testid="add-original" on:click=add>{move || t::add_original(lang.get())}</button>
                <button type="button" class="button secondary" disabled=move || !page.dirty()
                    on:click=move |_| page.take(page.stored.get_untracked())>{move || t::discard(lang.get())}</button>
                <button type="button" class="button" data-testid="save-plan" disabled=move || !can_save()
                    on:click=move |_| page.save()>{move || common::save(lang.get())}</button>
                <Show when=move || !page.field_errors.with(|e| e.is_empty())>
                    <span class="field-error" role="status">{move || t::fix_errors(lang.get())}</span>
                </Show>
            </div>
        </section>
    }
}
