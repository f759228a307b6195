//! Importing original subscriptions from a CSV file: all rows or, with every error listed, none.

use std::fmt;

use crate::csv_export::needs_formula_guard;
use crate::csv_reader::{Record, decode, records};
use crate::date::Date;
use crate::money::UnitPrice;
use crate::move_path::MovePath;
use crate::planner::PlanRow;
use crate::record::{Channel, Relationship};

/// Most seats one row may have.
pub const MAX_SEATS: u32 = 1_000_000;

/// A CSV column the planner understands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Column {
    /// `customer` (required).
    Customer,
    /// `domain` (required).
    Domain,
    /// `offer` (required).
    Offer,
    /// `seats` (required).
    Seats,
    /// `end_date` (required).
    EndDate,
    /// `channel`.
    Channel,
    /// `auto_renew`.
    AutoRenew,
    /// `monthly_price`.
    MonthlyPrice,
    /// `currency`.
    Currency,
    /// `target_offer`.
    TargetOffer,
    /// `relationship`.
    Relationship,
    /// `path`: the requested move path.
    Path,
}

impl Column {
    /// Every column, in the order files are written.
    pub const ALL: [Column; 12] = [
        Column::Customer,
        Column::Domain,
        Column::Offer,
        Column::Seats,
        Column::EndDate,
        Column::Channel,
        Column::AutoRenew,
        Column::MonthlyPrice,
        Column::Currency,
        Column::TargetOffer,
        Column::Relationship,
        Column::Path,
    ];

    /// The column's canonical header.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Column::Customer => "customer",
            Column::Domain => "domain",
            Column::Offer => "offer",
            Column::Seats => "seats",
            Column::EndDate => "end_date",
            Column::Channel => "channel",
            Column::AutoRenew => "auto_renew",
            Column::MonthlyPrice => "monthly_price",
            Column::Currency => "currency",
            Column::TargetOffer => "target_offer",
            Column::Relationship => "relationship",
            Column::Path => "path",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Column::Customer | Column::Domain | Column::Offer | Column::Seats | Column::EndDate
        )
    }

    /// Recognises a header: canonical names in any case and spacing, English variants and
    /// the Japanese headers partners' spreadsheets use.
    #[must_use]
    pub fn from_header(header: &str) -> Option<Column> {
        let key: String = header
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .map(|c| {
                if c == ' ' || c == '-' || c == '\u{3000}' {
                    '_'
                } else {
                    c
                }
            })
            .flat_map(char::to_lowercase)
            .collect();
        let col = match key.as_str() {
            "customer" | "customer_name" | "company" | "company_name" | "顧客名" | "顧客"
            | "会社名" | "企業名" | "お客様名" => Column::Customer,
            "domain" | "primary_domain" | "ドメイン" | "ドメイン名" | "プライマリドメイン" => {
                Column::Domain
            }
            "offer"
            | "offer_name"
            | "product"
            | "plan"
            | "subscription"
            | "プラン"
            | "プラン名"
            | "製品"
            | "製品名"
            | "オファー"
            | "商品名"
            | "サブスクリプション" => Column::Offer,
            "seats" | "quantity" | "licenses" | "licences" | "シート数" | "ライセンス数"
            | "数量" => Column::Seats,
            "end_date" | "enddate" | "expiry" | "expiry_date" | "expiration_date" | "有効期限"
            | "終了日" | "契約終了日" | "期限" | "満了日" => Column::EndDate,
            "channel" | "チャネル" | "チャネル名" | "購入経路" | "契約形態" => {
                Column::Channel
            }
            "auto_renew" | "autorenew" | "auto_renewal" | "自動更新" => Column::AutoRenew,
            "monthly_price" | "price" | "unit_price" | "月額単価" | "単価" | "月額" => {
                Column::MonthlyPrice
            }
            "currency" | "通貨" => Column::Currency,
            "target_offer" | "target" | "移行先" | "移行先プラン" | "移行先オファー" => {
                Column::TargetOffer
            }
            "relationship" | "関係" | "リセラー関係" | "取引関係" => {
                Column::Relationship
            }
            "path" | "move_path" | "移行方法" | "移行パス" | "移行経路" | "移行手段" => {
                Column::Path
            }
            _ => return None,
        };
        Some(col)
    }
}

/// Where an import error is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Place {
    /// The file as a whole (encoding, emptiness).
    File,
    /// The header row; `column` names the column concerned.
    Header,
    /// A data record, 1-based (the header is not counted, blank lines are skipped).
    Row(usize),
}

/// One thing wrong with an imported file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImportError {
    /// Which row.
    pub place: Place,
    /// Which column: the canonical name, with the file's own header in brackets when it differs.
    pub column: Option<String>,
    /// What is wrong, as a sentence fragment.
    pub message: String,
}

impl fmt::Display for ImportError {
    /// `row 3, column seats: must be a whole number` (the documented shape).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::File => write!(f, "file")?,
            Place::Header => write!(f, "header row")?,
            Place::Row(n) => write!(f, "row {n}")?,
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every error found in a file; the file was not imported.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImportErrors(pub Vec<ImportError>);

impl fmt::Display for ImportErrors {
    /// One error per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// Imports a CSV file's bytes (UTF-8 with or without BOM, or Shift_JIS).
pub fn import_csv(bytes: &[u8]) -> Result<Vec<PlanRow>, ImportErrors> {
    let (text, _) = decode(bytes).map_err(|e| {
        ImportErrors(vec![ImportError {
            place: Place::File,
            column: None,
            message: e.to_string(),
        }])
    })?;
    import_csv_text(&text)
}

/// Imports CSV text.
pub fn import_csv_text(text: &str) -> Result<Vec<PlanRow>, ImportErrors> {
    let mut recs = records(text).into_iter().filter(|r| !r.is_blank());
    let file_error = |message: &str| {
        ImportErrors(vec![ImportError {
            place: Place::File,
            column: None,
            message: message.to_owned(),
        }])
    };
    let header = recs
        .next()
        .ok_or_else(|| file_error("the file is empty; a header row is required"))?;
    let (columns, mut errors) = read_header(&header);
    let Some(columns) = columns else {
        return Err(ImportErrors(errors));
    };
    let mut rows = Vec::new();
    for (i, rec) in recs.enumerate() {
        match columns.row(i + 1, &rec) {
            Ok(row) => rows.push(row),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportErrors(errors))
    }
}

/// Which field index holds each column, and the headers as written.
struct Columns {
    index: [Option<usize>; Column::ALL.len()],
    label: [String; Column::ALL.len()],
    width: usize,
}

fn read_header(rec: &Record) -> (Option<Columns>, Vec<ImportError>) {
    let mut errors = Vec::new();
    let mut index = [None; Column::ALL.len()];
    let mut label: [String; Column::ALL.len()] = Default::default();
    let header_error = |column: String, message: String| ImportError {
        place: Place::Header,
        column: Some(column),
        message,
    };
    if let Some((field, e)) = rec.error {
        errors.push(header_error(format!("{}", field + 1), e.to_string()));
        return (None, errors);
    }
    for (i, h) in rec.fields.iter().enumerate() {
        let Some(col) = Column::from_header(h) else {
            continue;
        };
        let k = col as usize;
        if let Some(first) = index[k] {
            errors.push(header_error(
                col.name().to_owned(),
                format!("appears twice (columns {} and {})", first + 1, i + 1),
            ));
            continue;
        }
        index[k] = Some(i);
        let written = h.trim().trim_start_matches('\u{feff}');
        label[k] = if written.eq_ignore_ascii_case(col.name()) {
            col.name().to_owned()
        } else {
            format!("{} ({written})", col.name())
        };
    }
    for col in Column::ALL {
        if col.required() && index[col as usize].is_none() {
            errors.push(header_error(
                col.name().to_owned(),
                "required column is missing".into(),
            ));
        }
    }
    let columns = errors.is_empty().then_some(Columns {
        index,
        label,
        width: rec.fields.len(),
    });
    (columns, errors)
}

impl Columns {
    fn row(&self, n: usize, rec: &Record) -> Result<PlanRow, Vec<ImportError>> {
        let at = |column: String, message: String| ImportError {
            place: Place::Row(n),
            column: Some(column),
            message,
        };
        if let Some((field, e)) = rec.error {
            let col = Column::ALL
                .into_iter()
                .find(|c| self.index[*c as usize] == Some(field));
            let column = col.map_or_else(
                || (field + 1).to_string(),
                |c| self.label[c as usize].clone(),
            );
            return Err(vec![at(column, e.to_string())]);
        }
        let beyond = rec
            .fields
            .iter()
            .skip(self.width)
            .position(|f| !f.trim().is_empty());
        if let Some(extra) = beyond {
            let message = format!(
                "a value beyond the header's {} columns (is a comma missing its quotes?)",
                self.width
            );
            return Err(vec![at((self.width + extra + 1).to_string(), message)]);
        }

        let mut cells = Cells {
            columns: self,
            rec,
            errors: Vec::new(),
            at: &at,
        };
        let customer = cells.required(Column::Customer, |v| Ok(v.to_owned()));
        let domain = cells.required(Column::Domain, |v| {
            if v.chars().any(char::is_whitespace) {
                Err(format!("{v:?} must not contain spaces"))
            } else {
                Ok(v.to_lowercase())
            }
        });
        let offer = cells.required(Column::Offer, |v| Ok(v.to_owned()));
        let seats = cells.required(Column::Seats, |v| match v.parse::<u32>() {
            Ok(s) if s <= MAX_SEATS && v.bytes().all(|b| b.is_ascii_digit()) => Ok(s),
            _ => Err(format!(
                "{v:?} must be a whole number from 0 to {MAX_SEATS}"
            )),
        });
        let end_date = cells.required(Column::EndDate, |v| {
            Date::parse_lenient(v).map_err(|e| format!("{v:?}: {e}"))
        });
        let channel = cells.optional(Column::Channel, Channel::Direct, |v| {
            Channel::parse(v)
                .ok_or_else(|| format!("{v:?} must be one of direct, open, ea, partner"))
        });
        let auto_renew = cells.optional(Column::AutoRenew, false, |v| {
            let is = |words: &[&str]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
            if is(&["true", "yes", "1", "はい"]) {
                Ok(true)
            } else if is(&["false", "no", "0", "いいえ"]) {
                Ok(false)
            } else {
                Err(format!("{v:?} must be true or false (yes/no, 1/0)"))
            }
        });
        let monthly_price = cells.optional(Column::MonthlyPrice, None, |v| {
            UnitPrice::parse(v)
                .map(Some)
                .map_err(|e| format!("{v:?}: {e}"))
        });
        let currency = cells.optional(Column::Currency, None, |v| {
            if v.len() == 3 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(Some(v.to_ascii_uppercase()))
            } else {
                Err(format!(
                    "{v:?} must be a 3-letter ISO 4217 code like USD or JPY"
                ))
            }
        });
        let target_offer = cells.optional(Column::TargetOffer, None, |v| Ok(Some(v.to_owned())));
        let relationship = cells.optional(Column::Relationship, Relationship::None, |v| {
            Relationship::parse(v)
                .ok_or_else(|| format!("{v:?} must be one of none, invited, accepted"))
        });
        let path = cells.optional(Column::Path, MovePath::Overlap, |v| {
            MovePath::parse(v).ok_or_else(|| {
                format!("{v:?} must be one of overlap, grace, ea_transfer, csp_transfer")
            })
        });
        if !cells.errors.is_empty() {
            return Err(cells.errors);
        }
        // Every value is present when no error was recorded.
        let missing = Vec::new;
        Ok(PlanRow {
            customer: customer.ok_or_else(missing)?,
            domain: domain.ok_or_else(missing)?,
            offer: offer.ok_or_else(missing)?,
            seats: seats.ok_or_else(missing)?,
            end_date: end_date.ok_or_else(missing)?,
            channel: channel.ok_or_else(missing)?,
            auto_renew: auto_renew.ok_or_else(missing)?,
            monthly_price: monthly_price.ok_or_else(missing)?,
            currency: currency.ok_or_else(missing)?,
            target_offer: target_offer.ok_or_else(missing)?,
            relationship: relationship.ok_or_else(missing)?,
            path: path.ok_or_else(missing)?,
        })
    }
}

/// One record's cells being read, collecting every error instead of stopping at the first.
struct Cells<'a> {
    columns: &'a Columns,
    rec: &'a Record,
    errors: Vec<ImportError>,
    at: &'a dyn Fn(String, String) -> ImportError,
}

impl<'a> Cells<'a> {
    /// The trimmed value; empty when the column is absent or the row is short.
    fn value(&self, col: Column) -> &'a str {
        let rec: &'a Record = self.rec;
        self.columns.index[col as usize]
            .and_then(|i| rec.fields.get(i))
            .map_or("", |v| unneutralise(v).trim())
    }

    fn parse<T>(
        &mut self,
        col: Column,
        v: &str,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        f(v).map_err(|m| {
            self.errors
                .push((self.at)(self.columns.label[col as usize].clone(), m))
        })
        .ok()
    }

    fn required<T>(&mut self, col: Column, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let v = self.value(col);
        if v.is_empty() {
            return self.parse(col, v, |_| Err("is empty; a value is required".to_owned()));
        }
        self.parse(col, v, f)
    }

    fn optional<T>(
        &mut self,
        col: Column,
        default: T,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let v = self.value(col);
        if v.is_empty() {
            Some(default)
        } else {
            self.parse(col, v, f)
        }
    }
}

/// Undoes the export's formula guard: one leading `'` is dropped where export would add one.
fn unneutralise(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if needs_formula_guard(rest) => rest,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship";

    fn messages(text: &str) -> Vec<String> {
        import_csv_text(text)
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn imports_the_documented_columns_with_defaults() {
        let rows = import_csv_text(
            "customer,domain,offer,seats,end_date\n Contoso ,Contoso.Example, E3 ,25,2027-03-31\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(
            (r.customer.as_str(), r.domain.as_str(), r.offer.as_str()),
            ("Contoso", "contoso.example", "E3")
        );
        assert_eq!(
            (r.seats, r.channel, r.auto_renew),
            (25, Channel::Direct, false)
        );
        assert_eq!(
            (r.monthly_price, &r.currency, &r.target_offer),
            (None, &None, &None)
        );
        assert_eq!(r.relationship, Relationship::None);
    }

    #[test]
    fn columns_in_any_order_and_unknown_columns_ignored() {
        let rows = import_csv_text(
            "Notes,END_DATE,Seats,Offer,Domain,Customer,Channel\nhi,2027/3/31,5,E3,a.example,A,EA\n",
        )
        .unwrap();
        assert_eq!(rows[0].end_date, Date::parse("2027-03-31").unwrap());
        assert_eq!(rows[0].channel, Channel::Ea);
    }

    #[test]
    fn japanese_headers_are_accepted() {
        let text = "顧客名,ドメイン,プラン,シート数,有効期限,自動更新,月額単価,通貨\n\
                    株式会社ファブリカム,fabrikam.example,Office 365 E3,120,2027-05-12,はい,2280,jpy\n";
        let rows = import_csv_text(text).unwrap();
        assert_eq!(rows[0].customer, "株式会社ファブリカム");
        assert!(rows[0].auto_renew);
        assert_eq!(rows[0].currency.as_deref(), Some("JPY"));
    }

    #[cfg(feature = "shift-jis")]
    #[test]
    fn shift_jis_files_are_detected() {
        let text = "顧客名,ドメイン,プラン,シート数,有効期限\r\nノースウィンド,northwind.example,E3,10,2026-11-20\r\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let rows = import_csv(&bytes).unwrap();
        assert_eq!(rows[0].customer, "ノースウィンド");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(import_csv(&bom).unwrap(), rows);
    }

    #[test]
    fn every_error_is_reported_with_row_and_column() {
        let text = format!(
            "{HEADER}\n\
             ,a.example,E3,-0,2027-02-29,cloud,maybe,-1,US,,friend\n\
             B,b example,E3,1.5,31/03/2027,direct,yes,12.34567,usd,,none\n"
        );
        assert_eq!(
            messages(&text),
            [
                "row 1, column customer: is empty; a value is required",
                "row 1, column seats: \"-0\" must be a whole number from 0 to 1000000",
                "row 1, column end_date: \"2027-02-29\": 2027-02-29 is not a day in the calendar",
                "row 1, column channel: \"cloud\" must be one of direct, open, ea, partner",
                "row 1, column auto_renew: \"maybe\" must be true or false (yes/no, 1/0)",
                "row 1, column monthly_price: \"-1\": must not be negative",
                "row 1, column currency: \"US\" must be a 3-letter ISO 4217 code like USD or JPY",
                "row 1, column relationship: \"friend\" must be one of none, invited, accepted",
                "row 2, column domain: \"b example\" must not contain spaces",
                "row 2, column seats: \"1.5\" must be a whole number from 0 to 1000000",
                "row 2, column end_date: \"31/03/2027\": expected a date like 2027-03-31 (YYYY-MM-DD)",
                "row 2, column monthly_price: \"12.34567\": at most 4 decimals are allowed",
            ]
        );
    }

    #[test]
    fn nothing_is_imported_when_one_row_is_bad() {
        let text = format!("{HEADER}\nA,a.example,E3,1,2027-01-01\nB,b.example,E3,x,2027-01-01\n");
        let errors = import_csv_text(&text).unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].place, Place::Row(2));
    }

    #[test]
    fn japanese_header_is_named_in_errors() {
        assert_eq!(
            messages("顧客名,ドメイン,プラン,シート数,有効期限\nA,a.example,E3,十,2027-01-01\n"),
            ["row 1, column seats (シート数): \"十\" must be a whole number from 0 to 1000000"]
        );
    }

    #[test]
    fn header_problems() {
        assert_eq!(
            messages("customer,domain,offer,seats\n"),
            ["header row, column end_date: required column is missing"]
        );
        assert_eq!(
            messages("customer,domain,offer,seats,end_date,顧客名\n"),
            ["header row, column customer: appears twice (columns 1 and 6)"]
        );
        assert_eq!(
            messages(""),
            ["file: the file is empty; a header row is required"]
        );
        assert_eq!(
            messages("\n,,\n"),
            ["file: the file is empty; a header row is required"]
        );
    }

    #[test]
    fn header_only_is_an_empty_import() {
        assert_eq!(import_csv_text(HEADER).unwrap(), []);
    }

    #[test]
    fn blank_lines_are_skipped_and_not_counted() {
        let text = format!(
            "\n{HEADER}\n\nA,a.example,E3,1,2027-01-01\n,,,,\nB,b.example,E3,x,2027-01-01\n\n"
        );
        assert_eq!(
            messages(&text),
            ["row 2, column seats: \"x\" must be a whole number from 0 to 1000000"]
        );
    }

    #[test]
    fn quoting_errors_and_stray_values() {
        assert_eq!(
            messages(&format!("{HEADER}\nA,a.example,\"E3\"x,1,2027-01-01\n")),
            [
                "row 1, column offer: text follows the closing quote; write a quote inside a quoted value as \"\""
            ]
        );
        assert_eq!(
            messages(&format!("{HEADER}\nA,a.example,\"E3,1,2027-01-01\n")),
            ["row 1, column offer: a quoted value is never closed (a \" is missing)"]
        );
        assert_eq!(
            messages(
                "customer,domain,offer,seats,end_date\nContoso, Ltd,a.example,E3,1,2027-01-01\n"
            ),
            [
                "row 1, column 6: a value beyond the header's 5 columns (is a comma missing its quotes?)"
            ]
        );
    }

    #[test]
    fn short_rows_report_missing_required_values() {
        assert_eq!(
            messages("customer,domain,offer,seats,end_date\nA,a.example\n"),
            [
                "row 1, column offer: is empty; a value is required",
                "row 1, column seats: is empty; a value is required",
                "row 1, column end_date: is empty; a value is required",
            ]
        );
    }

    #[test]
    fn bad_encoding_is_a_file_error() {
        let e = import_csv(b"\xFF\xFEc\0").unwrap_err();
        assert_eq!(e.0[0].place, Place::File);
        assert!(e.to_string().starts_with("file: the file is UTF-16"));
    }

    #[test]
    fn formula_guard_apostrophe_is_removed() {
        let rows = import_csv_text(
            "customer,domain,offer,seats,end_date\n'=Evil,a.example,'-E3,1,2027-01-01\n",
        )
        .unwrap();
        assert_eq!(
            (rows[0].customer.as_str(), rows[0].offer.as_str()),
            ("=Evil", "-E3")
        );
        let rows = import_csv_text(
            "customer,domain,offer,seats,end_date\n'Quoted,a.example,E3,1,2027-01-01\n",
        )
        .unwrap();
        assert_eq!(rows[0].customer, "'Quoted");
    }

    #[test]
    fn values_are_case_insensitive() {
        let rows = import_csv_text(&format!(
            "{HEADER}\nA,a.example,E3,1,2027-01-01,Other-Partner,TRUE,1,usd,,Accepted\n"
        ))
        .unwrap();
        assert_eq!(rows[0].channel, Channel::Partner);
        assert!(rows[0].auto_renew);
        assert_eq!(rows[0].relationship, Relationship::Accepted);
    }
}
