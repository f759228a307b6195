//! Importing a CSV into what is stored: an upsert with a field-by-field diff.
//!
//! Rows are grouped by domain into one record per customer. A customer already stored (matched by
//! domain) is updated in place: the file's fields win, everything only Cutover knows
//! (confirmations, notes, orders, overrides, the recorded invitation date) is kept, and originals
//! missing from the file are kept too. A new customer whose domain Partner Center knows is keyed by
//! its Partner Center id. Importing the same file twice changes nothing the second time.
use std::collections::HashMap;

use crate::date::Date;
use crate::move_path::MovePath;
use crate::offers::offer_id_for;
use crate::partner_center::{Customer, find_by_domain};
use crate::planner::{PlanRow, normalise_domain, same_offer};
use crate::record::{
    Channel, Confirmations, CustomerKey, MigrationRecord, OriginalSubscription, Price,
    Relationship, TargetOffer,
};
use crate::wire::{ImportRequest, ImportUpdate, Versioned};

/// A value in the import diff (the screens format it in the viewer's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Nothing (no price, no target, no invitation recorded).
    None,
    /// Text.
    Text(String),
    /// A calendar date.
    Date(Date),
    /// A count.
    Number(u32),
    /// Yes or no.
    Flag(bool),
    /// A channel.
    Channel(Channel),
    /// A price per seat per month with its currency.
    Price(Price),
    /// A move path onto CSP.
    Path(MovePath),
}

/// Which field of a record an import changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportField {
    /// The customer's name.
    CustomerName,
    /// The reseller invitation's recorded date.
    InvitationSent,
    /// An original subscription the record did not have.
    NewOriginal,
    /// Seats.
    Seats,
    /// End date.
    EndDate,
    /// Channel.
    Channel,
    /// Auto-renew.
    AutoRenew,
    /// Price per seat per month.
    Price,
    /// The CSP offer to move to.
    TargetOffer,
    /// The requested move path.
    Path,
}

/// One changed field: which original (by offer name; `None` for the customer), old → new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The original's offer, or `None` for a customer-level field.
    pub offer: Option<String>,
    /// The field.
    pub field: ImportField,
    /// Stored value.
    pub old: FieldValue,
    /// The file's value.
    pub new: FieldValue,
}

/// A stored record the import changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedRecord {
    /// Store key.
    pub key: String,
    /// The stored version the change is based on.
    pub version: u64,
    /// The record after the import.
    pub after: MigrationRecord,
    /// What changes, in file order.
    pub changes: Vec<FieldChange>,
}

/// Something the partner should know about a row that imports fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNote {
    /// The file says `accepted`, but Partner Center does not list this domain as a reseller
    /// customer: no invitation date is recorded and step 1 follows Partner Center.
    AcceptedNotInPartnerCenter {
        /// The domain.
        domain: String,
    },
}

/// What confirming an import will write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    /// New records, in file order.
    pub new: Vec<MigrationRecord>,
    /// Changed records, in file order.
    pub changed: Vec<ChangedRecord>,
    /// Keys and names of stored records the file leaves as they are.
    pub unchanged: Vec<(String, String)>,
    /// Things worth knowing.
    pub notes: Vec<ImportNote>,
}

impl ImportPlan {
    /// Whether confirming would write anything.
    #[must_use]
    pub fn writes_anything(&self) -> bool {
        !self.new.is_empty() || !self.changed.is_empty()
    }

    /// The store request: creates and versioned updates, all or nothing.
    #[must_use]
    pub fn request(&self) -> ImportRequest {
        ImportRequest {
            records: self.new.clone(),
            updates: self
                .changed
                .iter()
                .map(|c| ImportUpdate {
                    version: c.version,
                    record: c.after.clone(),
                })
                .collect(),
        }
    }
}

/// One customer's rows, in file order.
struct Group<'a> {
    domain: String,
    rows: Vec<&'a PlanRow>,
}

fn groups(rows: &[PlanRow]) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let domain = normalise_domain(&row.domain);
        let i = *index.entry(domain.clone()).or_insert_with(|| {
            out.push(Group {
                domain,
                rows: Vec::new(),
            });
            out.len() - 1
        });
        out[i].rows.push(row);
    }
    out
}

fn price_of(row: &PlanRow) -> Option<Price> {
    row.monthly_price.map(|p| Price {
        per_seat_per_month: p,
        currency: row.currency.clone().unwrap_or_else(|| "USD".into()),
    })
}

fn target_of(row: &PlanRow) -> Option<TargetOffer> {
    row.target_offer
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| TargetOffer {
            offer_id: offer_id_for(t).map(str::to_owned),
            offer_name: t.to_owned(),
        })
}

fn new_original(row: &PlanRow, id: String) -> OriginalSubscription {
    let offer = row.offer.trim();
    OriginalSubscription {
        id,
        offer_id: offer_id_for(offer).map(str::to_owned),
        offer_name: offer.to_owned(),
        seats: row.seats,
        end_date: row.end_date,
        channel: row.channel,
        auto_renew: row.auto_renew,
        price: price_of(row),
        target: target_of(row),
        confirmed: Confirmations::default(),
        tenant_subscription_id: None,
        path: row.path,
    }
}

/// Applies one customer's rows to a record (a copy of the stored one, or a new one).
fn apply(record: &mut MigrationRecord, group: &Group<'_>, today: Date) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let first = group.rows[0];
    let name = first.customer.trim();
    if !name.is_empty() && record.customer_name != name {
        changes.push(FieldChange {
            offer: None,
            field: ImportField::CustomerName,
            old: FieldValue::Text(record.customer_name.clone()),
            new: FieldValue::Text(name.to_owned()),
        });
        record.customer_name = name.to_owned();
    }
    let invited = group
        .rows
        .iter()
        .any(|r| r.relationship == Relationship::Invited);
    if invited && record.invitation_sent_on.is_none() {
        changes.push(FieldChange {
            offer: None,
            field: ImportField::InvitationSent,
            old: FieldValue::None,
            new: FieldValue::Date(today),
        });
        record.invitation_sent_on = Some(today);
    }
    // Match rows to stored originals by offer, the n-th row of an offer to its n-th original.
    let mut used = vec![false; record.originals.len()];
    for row in &group.rows {
        let found = record
            .originals
            .iter()
            .enumerate()
            .position(|(i, o)| !used[i] && same_offer(&o.offer_name, &row.offer));
        let Some(i) = found else {
            let id = record.fresh_original_id();
            let o = new_original(row, id);
            changes.push(FieldChange {
                offer: Some(o.offer_name.clone()),
                field: ImportField::NewOriginal,
                old: FieldValue::None,
                new: FieldValue::Number(o.seats),
            });
            record.originals.push(o);
            used.push(true);
            continue;
        };
        used[i] = true;
        let o = &mut record.originals[i];
        let offer = Some(o.offer_name.clone());
        let mut change = |field, old: FieldValue, new: FieldValue| {
            if old != new {
                changes.push(FieldChange {
                    offer: offer.clone(),
                    field,
                    old,
                    new,
                });
            }
        };
        change(
            ImportField::Seats,
            FieldValue::Number(o.seats),
            FieldValue::Number(row.seats),
        );
        change(
            ImportField::EndDate,
            FieldValue::Date(o.end_date),
            FieldValue::Date(row.end_date),
        );
        change(
            ImportField::Channel,
            FieldValue::Channel(o.channel),
            FieldValue::Channel(row.channel),
        );
        change(
            ImportField::AutoRenew,
            FieldValue::Flag(o.auto_renew),
            FieldValue::Flag(row.auto_renew),
        );
        let price = price_of(row);
        let as_value = |p: &Option<Price>| p.clone().map_or(FieldValue::None, FieldValue::Price);
        change(ImportField::Price, as_value(&o.price), as_value(&price));
        let target = target_of(row);
        let target_name = |t: &Option<TargetOffer>| {
            t.as_ref()
                .map_or(FieldValue::None, |t| FieldValue::Text(t.offer_name.clone()))
        };
        let target_changed = match (&o.target, &target) {
            (Some(a), Some(b)) => !same_offer(&a.offer_name, &b.offer_name),
            (None, None) => false,
            _ => true,
        };
        if target_changed {
            change(
                ImportField::TargetOffer,
                target_name(&o.target),
                target_name(&target),
            );
            o.target = target;
        }
        change(
            ImportField::Path,
            FieldValue::Path(o.path),
            FieldValue::Path(row.path),
        );
        o.path = row.path;
        o.seats = row.seats;
        o.end_date = row.end_date;
        o.channel = row.channel;
        o.auto_renew = row.auto_renew;
        o.price = price;
    }
    changes
}

/// Works out what importing `rows` would write, given what is stored and the Partner Center
/// customers known so far.
#[must_use]
pub fn plan_import(
    rows: &[PlanRow],
    stored: &[Versioned<MigrationRecord>],
    pc_customers: &[Customer],
    today: Date,
) -> ImportPlan {
    let mut by_domain: HashMap<String, &Versioned<MigrationRecord>> = HashMap::new();
    for v in stored {
        by_domain
            .entry(normalise_domain(&v.doc.domain))
            .or_insert(v);
    }
    let mut plan = ImportPlan::default();
    for group in groups(rows) {
        let pc = find_by_domain(pc_customers, &group.domain);
        let accepted = group
            .rows
            .iter()
            .any(|r| r.relationship == Relationship::Accepted);
        if accepted && pc.is_none_or(|c| c.relationship != "reseller") {
            plan.notes.push(ImportNote::AcceptedNotInPartnerCenter {
                domain: group.domain.clone(),
            });
        }
        match by_domain.get(&group.domain) {
            Some(v) => {
                let mut after = v.doc.clone();
                let changes = apply(&mut after, &group, today);
                if after == v.doc {
                    plan.unchanged
                        .push((v.key.clone(), v.doc.customer_name.clone()));
                } else {
                    plan.changed.push(ChangedRecord {
                        key: v.key.clone(),
                        version: v.version,
                        after,
                        changes,
                    });
                }
            }
            None => {
                let mut r = MigrationRecord::prospect(group.rows[0].customer.trim(), &group.domain);
                if let Some(c) = pc {
                    r.key = CustomerKey::PcCustomerId(c.id.clone());
                }
                apply(&mut r, &group, today);
                plan.new.push(r);
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::import_csv_text;
    use crate::money::UnitPrice;
    use crate::record::Ended;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    const FILE: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship
Contoso Ltd,Contoso.Example,Microsoft 365 Business Standard,25,2027-03-31,direct,true,12.50,USD,,invited
Contoso Ltd,contoso.example,Exchange Online (Plan 1),5,2027-01-15,open,false,4.00,USD,Microsoft 365 Business Basic,invited
Fabrikam KK,fabrikam.example,Office 365 E3,120,2027-05-12,ea,false,,,,accepted
Northwind,northwind.example,Microsoft 365 Business Premium,10,2026-11-20,direct,false,22.00,USD,,accepted
";

    fn rows(text: &str) -> Vec<PlanRow> {
        import_csv_text(text).unwrap()
    }

    fn store(plan: &ImportPlan) -> Vec<Versioned<MigrationRecord>> {
        plan.new
            .iter()
            .map(|r| Versioned {
                key: crate::portfolio::key_of(r),
                version: 1,
                updated_at: "2026-12-01T00:00:00Z".into(),
                doc: r.clone(),
            })
            .collect()
    }

    fn pc(id: &str, domain: &str, relationship: &str) -> Customer {
        Customer {
            id: id.into(),
            domain: domain.into(),
            company_name: domain.into(),
            relationship: relationship.into(),
        }
    }

    #[test]
    fn first_import_creates_one_record_per_domain_keyed_by_partner_center_id_when_known() {
        let pcs = vec![pc("pc-north", "NORTHWIND.example", "reseller")];
        let plan = plan_import(&rows(FILE), &[], &pcs, d("2026-12-01"));
        assert_eq!(plan.new.len(), 3);
        assert!(plan.changed.is_empty() && plan.unchanged.is_empty());
        let keys: Vec<_> = plan.new.iter().map(|r| r.key.clone()).collect();
        assert_eq!(keys[0], CustomerKey::Domain("contoso.example".into()));
        assert_eq!(keys[2], CustomerKey::PcCustomerId("pc-north".into()));
        assert_eq!(plan.new[0].originals.len(), 2);
        assert_eq!(plan.new[0].invitation_sent_on, Some(d("2026-12-01")));
        // `accepted` never records an invitation date.
        assert_eq!(plan.new[1].invitation_sent_on, None);
        assert_eq!(plan.new[2].invitation_sent_on, None);
        assert_eq!(
            plan.notes,
            vec![ImportNote::AcceptedNotInPartnerCenter {
                domain: "fabrikam.example".into()
            }]
        );
        assert_eq!(
            plan.new[0].originals[1].target.as_ref().unwrap().offer_name,
            "Microsoft 365 Business Basic"
        );
    }

    #[test]
    fn importing_the_same_file_again_writes_nothing_even_days_later() {
        let first = plan_import(&rows(FILE), &[], &[], d("2026-12-01"));
        let stored = store(&first);
        let again = plan_import(&rows(FILE), &stored, &[], d("2026-12-09"));
        assert!(!again.writes_anything(), "{:?}", again.changed);
        assert_eq!(again.unchanged.len(), 3);
        let request = again.request();
        assert!(request.records.is_empty() && request.updates.is_empty());
    }

    #[test]
    fn an_updated_file_changes_only_what_differs_and_keeps_what_cutover_knows() {
        let first = plan_import(&rows(FILE), &[], &[], d("2026-12-01"));
        let mut stored = store(&first);
        // The partner confirmed something and wrote a note in Cutover meanwhile.
        stored[0].version = 4;
        stored[0].doc.notes = "call Ann first".into();
        stored[0].doc.originals[0].confirmed.ended = Some(Ended {
            on: d("2026-12-02"),
            how: crate::record::EndedHow::Expired,
        });
        let updated = FILE
            .replace(
                "Microsoft 365 Business Standard,25,2027-03-31",
                "Microsoft 365 Business Standard,30,2027-04-30",
            )
            .replace(
                "Office 365 E3,120,2027-05-12,ea,false,,,",
                "Office 365 E3,120,2027-05-12,ea,false,9.75,JPY,",
            )
            + "Contoso Ltd,contoso.example,Microsoft Teams Essentials,3,2027-02-01,direct,false,,,,invited\n";
        let plan = plan_import(&rows(&updated), &stored, &[], d("2026-12-05"));
        assert!(plan.new.is_empty());
        assert_eq!(plan.unchanged.len(), 1, "Northwind is untouched");
        assert_eq!(plan.changed.len(), 2);
        let contoso = &plan.changed[0];
        assert_eq!(
            (contoso.key.as_str(), contoso.version),
            ("contoso.example", 4)
        );
        let fields: Vec<_> = contoso.changes.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            vec![
                ImportField::Seats,
                ImportField::EndDate,
                ImportField::NewOriginal
            ]
        );
        assert_eq!(contoso.changes[0].old, FieldValue::Number(25));
        assert_eq!(contoso.changes[0].new, FieldValue::Number(30));
        assert_eq!(contoso.after.notes, "call Ann first");
        assert!(contoso.after.originals[0].confirmed.ended.is_some());
        assert_eq!(contoso.after.originals.len(), 3);
        assert_eq!(contoso.after.originals[2].id, "o3");
        assert_eq!(contoso.after.invitation_sent_on, Some(d("2026-12-01")));
        let fabrikam = &plan.changed[1];
        assert_eq!(
            fabrikam.changes,
            vec![FieldChange {
                offer: Some("Office 365 E3".into()),
                field: ImportField::Price,
                old: FieldValue::None,
                new: FieldValue::Price(Price {
                    per_seat_per_month: UnitPrice::parse("9.75").unwrap(),
                    currency: "JPY".into()
                }),
            }]
        );
        let request = plan.request();
        assert_eq!(request.updates.len(), 2);
        assert_eq!(request.updates[0].version, 4);
    }

    #[test]
    fn a_changed_move_path_is_a_change_and_is_kept() {
        let file = "customer,domain,offer,seats,end_date,channel,path
A,a.example,Office 365 E3,10,2027-01-31,partner,overlap
";
        let stored = store(&plan_import(&rows(file), &[], &[], d("2026-12-01")));
        assert_eq!(stored[0].doc.originals[0].path, MovePath::Overlap);
        let plan = plan_import(
            &rows(&file.replace(",overlap", ",csp_transfer")),
            &stored,
            &[],
            d("2026-12-01"),
        );
        let c = &plan.changed[0];
        assert_eq!(c.changes[0].field, ImportField::Path);
        assert_eq!(c.changes[0].new, FieldValue::Path(MovePath::CspTransfer));
        assert_eq!(c.after.originals[0].path, MovePath::CspTransfer);
    }

    #[test]
    fn originals_missing_from_the_file_are_kept() {
        let first = plan_import(&rows(FILE), &[], &[], d("2026-12-01"));
        let stored = store(&first);
        let only_one = FILE.lines().take(2).collect::<Vec<_>>().join("\n");
        let plan = plan_import(&rows(&only_one), &stored, &[], d("2026-12-01"));
        assert!(!plan.writes_anything());
        assert_eq!(plan.unchanged.len(), 1);
    }

    #[test]
    fn two_rows_of_the_same_offer_match_two_originals_in_order() {
        let file = "customer,domain,offer,seats,end_date
A,a.example,Office 365 E3,10,2027-01-31
A,a.example,Office 365 E3,20,2027-06-30
";
        let stored = store(&plan_import(&rows(file), &[], &[], d("2026-12-01")));
        let swapped = file.replace("20,2027-06-30", "25,2027-06-30");
        let plan = plan_import(&rows(&swapped), &stored, &[], d("2026-12-01"));
        assert_eq!(plan.changed.len(), 1);
        let c = &plan.changed[0];
        assert_eq!(c.changes.len(), 1);
        assert_eq!(c.after.originals[0].seats, 10);
        assert_eq!(c.after.originals[1].seats, 25);
    }
}
