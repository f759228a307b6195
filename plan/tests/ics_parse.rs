//! The iCalendar export read back by an independent parser (the `ical` crate).

use std::io::BufReader;

use cutover_plan::csv_import::import_csv_text;
use cutover_plan::ics::export_ics;
use cutover_plan::settings::Holidays;
use cutover_plan::{Date, Settings, plan};

const INPUT: &str = r#"customer,domain,offer,seats,end_date,channel,auto_renew,monthly_price,currency,target_offer,relationship
"Contoso; Ltd, ""HQ""",contoso.example,Microsoft 365 Business Standard,25,2027-03-31,direct,true,12.50,USD,,invited
Contoso Ltd,contoso.example,Exchange Online (Plan 1),5,2027-01-15,open,false,4.00,USD,Microsoft 365 Business Basic,invited
株式会社ファブリカム・ホールディングス・インターナショナル・ジャパン,fabrikam.example,Office 365 E3 (長い名前のプランで折り返しが必要になるほど長いもの),120,2027-05-12,ea,false,,,,none
Northwind,northwind.example,Microsoft 365 Business Premium,10,2026-11-20,direct,false,22.00,USD,,accepted
"#;

fn export() -> String {
    let rows = import_csv_text(INPUT).unwrap();
    let settings = Settings {
        holidays: Holidays {
            japan: true,
            custom: vec![],
        },
        ..Settings::default()
    };
    let p = plan(&rows, Date::parse("2026-11-24").unwrap(), &settings);
    export_ics(&rows, &p)
}

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> &'a ical::property::Property {
    props
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn independent_parser_reads_every_event() {
    let text = export();
    let mut cals = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = cals.next().expect("one calendar").expect("parses");
    assert!(cals.next().is_none());
    assert_eq!(
        prop(&cal.properties, "VERSION").value.as_deref(),
        Some("2.0")
    );
    assert!(prop(&cal.properties, "PRODID").value.is_some());
    assert_eq!(cal.events.len(), 7);
    let mut uids = std::collections::HashSet::new();
    for e in &cal.events {
        let start = prop(&e.properties, "DTSTART");
        assert_eq!(
            start.params.as_ref().unwrap()[0],
            ("VALUE".to_owned(), vec!["DATE".to_owned()])
        );
        let s = start.value.as_deref().unwrap();
        let end = prop(&e.properties, "DTEND").value.as_deref().unwrap();
        assert_eq!(s.len(), 8);
        let day = Date::parse(&format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..])).unwrap();
        assert_eq!(end, day.add_days(1).basic(), "all-day: ends the next day");
        assert!(
            uids.insert(prop(&e.properties, "UID").value.clone().unwrap()),
            "unique UIDs"
        );
        assert!(
            prop(&e.properties, "DTSTAMP")
                .value
                .as_deref()
                .unwrap()
                .ends_with('Z')
        );
    }
    let summaries: Vec<String> = cal
        .events
        .iter()
        .map(|e| unescape(prop(&e.properties, "SUMMARY").value.as_deref().unwrap()))
        .collect();
    assert!(
        summaries.contains(&"Switch auto-renew off: Contoso; Ltd, \"HQ\"".to_owned()),
        "{summaries:?}"
    );
    assert!(summaries.contains(
        &"Send the reseller invitation: 株式会社ファブリカム・ホールディングス・インターナショナル・ジャパン".to_owned()
    ));
    let fabrikam = cal
        .events
        .iter()
        .find(|e| {
            let uid = prop(&e.properties, "UID").value.clone().unwrap_or_default();
            uid.starts_with("plan-provision-") && uid.ends_with("-fabrikam.example@cutover")
        })
        .unwrap();
    assert_eq!(
        prop(&fabrikam.properties, "DTSTART").value.as_deref(),
        Some("20270430")
    );
    assert_eq!(
        unescape(
            prop(&fabrikam.properties, "DESCRIPTION")
                .value
                .as_deref()
                .unwrap()
        ),
        "fabrikam.example\nOffice 365 E3 (長い名前のプランで折り返しが必要になるほど長いもの) (120 seats, ends 2027-05-12)"
    );
}

#[test]
fn lines_are_crlf_and_at_most_75_octets() {
    let text = export();
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75), "an overlong line");
    assert!(
        lines.iter().any(|l| l.starts_with(' ')),
        "the long names were folded"
    );
}

#[test]
fn export_is_stable() {
    assert_eq!(export(), export());
}
